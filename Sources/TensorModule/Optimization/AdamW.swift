import Foundation

/// The AdamW optimizer (Loshchilov & Hutter, "Decoupled Weight Decay Regularization",
/// arXiv 1711.05101) over a list of f32 parameter tensors, as PyTorch's `torch.optim.AdamW`
/// computes it. Step t (from 1), per element:
///
///     p ← p − lr·λ·p                       (decoupled weight decay)
///     m ← β1·m + (1 − β1)·g,  v ← β2·v + (1 − β2)·g²
///     p ← p − lr · (m / (1 − β1ᵗ)) / (√(v / (1 − β2ᵗ)) + ε)
///
/// With masks, entries whose mask is false (or 0) are set to exactly zero after every step,
/// so pruned weights stay pruned.
public struct AdamW: Sendable {
    /// Decay of the first moment.
    public let beta1: Float
    /// Decay of the second moment.
    public let beta2: Float
    /// Added to the root of the second moment.
    public let epsilon: Float
    /// Decoupled weight decay λ (multiplied by the learning rate).
    public let weightDecay: Float
    /// Steps taken so far.
    public private(set) var steps = 0
    private var first: [[Float]], second: [[Float]]
    private let shapes: [[Int]]
    /// Per parameter, the entries to keep (nil: all).
    private let keep: [[Bool]?]

    /// An optimizer for parameters of `shapes`; `masks`, when given, holds one optional mask
    /// per parameter (bool, or numbers where nonzero keeps), shaped like it.
    public init(shapes: [[Int]], beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8,
                weightDecay: Float = 0, masks: [Tensor?]? = nil) throws(TensorError) {
        guard (0..<1).contains(beta1), (0..<1).contains(beta2), epsilon >= 0, weightDecay >= 0 else {
            throw TensorError("adamw: expected 0 ≤ beta1, beta2 < 1 and epsilon, weight_decay ≥ 0, got beta1 \(beta1), beta2 \(beta2), epsilon \(epsilon), weight_decay \(weightDecay)")
        }
        let masks = masks ?? Array(repeating: nil, count: shapes.count)
        guard masks.count == shapes.count else {
            throw TensorError("adamw: expected \(shapes.count) masks (one per parameter), got \(masks.count)")
        }
        var keep: [[Bool]?] = []
        for (i, (mask, shape)) in zip(masks, shapes).enumerated() {
            guard let mask else {
                keep.append(nil)
                continue
            }
            guard mask.shape == shape else {
                throw TensorError("adamw: mask \(i) has shape \(formatShape(mask.shape)), its parameter \(formatShape(shape))")
            }
            keep.append(keptEntries(mask))
        }
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
        self.shapes = shapes
        self.keep = keep
        first = shapes.map { [Float](repeating: 0, count: Tensor.elementCount($0)) }
        second = first
    }

    /// One step at `learningRate`: updates `parameters` (f32, in the shapes given at init)
    /// from `gradients` (the same shapes).
    public mutating func step(_ parameters: inout [Tensor], gradients: [Tensor], learningRate: Float) throws(TensorError) {
        guard parameters.count == shapes.count, gradients.count == shapes.count else {
            throw TensorError("adamw: expected \(shapes.count) parameters and gradients, got \(parameters.count) and \(gradients.count)")
        }
        for i in shapes.indices {
            guard parameters[i].shape == shapes[i], gradients[i].shape == shapes[i],
                  parameters[i].dtype == .f32, gradients[i].dtype == .f32 else {
                throw TensorError("adamw: parameter \(i) must be f32 \(formatShape(shapes[i])) with an f32 gradient of that shape, got \(parameters[i].dtype.rawValue) \(formatShape(parameters[i].shape)) and \(gradients[i].dtype.rawValue) \(formatShape(gradients[i].shape))")
            }
        }
        steps += 1
        let t = Double(steps)
        let correction1 = Float(1 - Foundation.pow(Double(beta1), t))
        let correction2 = Float(1 - Foundation.pow(Double(beta2), t))
        let decay = 1 - learningRate * weightDecay
        let (b1, b2, eps) = (beta1, beta2, epsilon)
        for i in shapes.indices {
            var p = parameters[i].floats()
            let g = gradients[i].floats()
            p.withUnsafeMutableBufferPointer { pp in first[i].withUnsafeMutableBufferPointer { m in
                second[i].withUnsafeMutableBufferPointer { v in
                    g.withUnsafeBufferPointer { gp in
                        for j in 0..<pp.count {
                            m[j] = b1 * m[j] + (1 - b1) * gp[j]
                            v[j] = b2 * v[j] + (1 - b2) * gp[j] * gp[j]
                            let update = (m[j] / correction1) / ((v[j] / correction2).squareRoot() + eps)
                            pp[j] = pp[j] * decay - learningRate * update
                        }
                    }
                    if let kept = keep[i] {
                        for j in 0..<pp.count where !kept[j] { pp[j] = 0 }
                    }
                }
            } }
            parameters[i] = Tensor(shape: shapes[i], f32: p)
        }
    }
}

/// The entries a keep-mask keeps: a bool mask's values, or the nonzero entries of a 0/1
/// numeric one (how `train` and AdamW read `model.masks`).
public func keptEntries(_ mask: Tensor) -> [Bool] {
    if case .bool(let b) = mask.data { return b }
    return mask.floats().map { $0 != 0 }
}
