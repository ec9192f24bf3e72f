import Foundation

/// AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", arXiv 1711.05101)
/// over a list of flat f32 parameter buffers, as PyTorch's `torch.optim.AdamW` computes it:
///
///     m ← β1·m + (1−β1)·g,   v ← β2·v + (1−β2)·g²
///     p ← p − lr·λ·p − lr · (m / (1−β1ᵗ)) / (√(v / (1−β2ᵗ)) + ε)
///
/// Weight decay λ applies only to the buffers marked `decays` (matrices, not norm gains).
/// A buffer with a keep-mask has its gradient zeroed where the mask is false before the
/// moments see it and its masked entries set to exactly 0 after the step, so pruned weights
/// stay pruned however long training runs.
public struct AdamW: Sendable {
    /// The exponential decay rates of the first and second moments.
    public var beta1: Double, beta2: Double
    /// Added to the root of the second moment.
    public var epsilon: Double
    /// The decoupled weight decay λ.
    public var weightDecay: Double
    /// Steps taken so far (the t of the bias corrections).
    public private(set) var step = 0
    private var first: [[Float]]
    private var second: [[Float]]

    /// An optimizer for buffers of the given sizes, moments at zero.
    public init(sizes: [Int], beta1: Double = 0.9, beta2: Double = 0.95, epsilon: Double = 1e-8, weightDecay: Double = 0) {
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        first = sizes.map { [Float](repeating: 0, count: $0) }
        second = sizes.map { [Float](repeating: 0, count: $0) }
    }

    /// One step at learning rate `lr`: updates `parameters[i]` from `gradients[i]` in place.
    /// `decays[i]` says whether buffer `i` gets weight decay; `masks[i]`, when present, is
    /// its keep-mask (same length).
    public mutating func update(_ parameters: inout [[Float]], gradients: [[Float]], lr: Double,
                                decays: [Bool], masks: [[Bool]?]) {
        precondition(parameters.count == first.count && gradients.count == first.count
                     && decays.count == first.count && masks.count == first.count, "AdamW: buffer count changed")
        step += 1
        let c1 = 1 - pow(beta1, Double(step)), c2 = 1 - pow(beta2, Double(step))
        let b1 = Float(beta1), b2 = Float(beta2), eps = Float(epsilon)
        let stepSize = Float(lr / c1), rootC2 = Float(c2.squareRoot())
        for i in parameters.indices {
            let shrink = decays[i] ? Float(1 - lr * weightDecay) : 1
            let mask = masks[i]
            precondition(parameters[i].count == gradients[i].count && parameters[i].count == first[i].count
                         && (mask?.count ?? parameters[i].count) == parameters[i].count, "AdamW: buffer size changed")
            parameters[i].withUnsafeMutableBufferPointer { p in
                first[i].withUnsafeMutableBufferPointer { m in
                    second[i].withUnsafeMutableBufferPointer { v in
                        gradients[i].withUnsafeBufferPointer { g in
                            for j in 0..<p.count {
                                let grad = mask.map { $0[j] ? g[j] : 0 } ?? g[j]
                                m[j] = b1 * m[j] + (1 - b1) * grad
                                v[j] = b2 * v[j] + (1 - b2) * grad * grad
                                p[j] = p[j] * shrink - stepSize * m[j] / (v[j].squareRoot() / rootC2 + eps)
                            }
                            if let mask {
                                for j in 0..<p.count where !mask[j] { p[j] = 0 }
                            }
                        }
                    }
                }
            }
        }
    }
}
