import Foundation
import TensorModule

// Softmax, log-softmax and the cross-entropy loss over the last axis, with the inference
// path's kernels (`maximum`, `expShifted`, `llamaSoftmax`: row sums in Double).
extension Tape {
    /// `softmax(scale · x)` over the last axis. `scale` is a temperature's inverse, so
    /// MaskLLM's `softmax((κ·gate + g)/τ)` is `softmax(κ·gate + g, scale: 1/τ)`.
    public func softmax(_ x: Variable, scale: Float = 1) throws(ModelError) -> Variable {
        let input = value(x)
        let n = try lastAxis(input, "softmax")
        let out = withFloats(floatValues(input)) { src in makeFloats(input.count) { dst in
            for i in 0..<input.count { dst[i] = scale * src[i] }
            for r in stride(from: 0, to: input.count, by: n) { llamaSoftmax(dst + r, n: n) }
        } }
        return record(Tensor(shape: input.shape, f32: out), inputs: [x]) { up, _ in
            // dx = scale · y ⊙ (dy − Σ y·dy), per row.
            [withFloats(up) { g in withFloats(out) { y in makeFloats(out.count) { dx in
                for r in stride(from: 0, to: out.count, by: n) {
                    var dot = 0.0
                    for j in r..<(r + n) { dot += Double(y[j] * g[j]) }
                    let d = Float(dot)
                    for j in r..<(r + n) { dx[j] = scale * y[j] * (g[j] - d) }
                }
            } } }]
        }
    }

    /// `x − log Σ e^x` over the last axis, computed stably (the row maximum subtracted first).
    public func logSoftmax(_ x: Variable) throws(ModelError) -> Variable {
        let input = value(x)
        let n = try lastAxis(input, "logSoftmax")
        var softmax = floatValues(input)
        let out = softmax.withUnsafeMutableBufferPointer { p in
            withFloats(floatValues(input)) { src in makeFloats(input.count) { dst in
                guard let e = p.baseAddress else { return }
                for r in stride(from: 0, to: input.count, by: n) {
                    let (shift, logSum) = shiftedLogSum(e + r, n: n)
                    for j in r..<(r + n) { dst[j] = Float(Double(src[j] - shift) - logSum) }
                }
            } }
        }
        let probabilities = softmax
        return record(Tensor(shape: input.shape, f32: out), inputs: [x]) { up, _ in
            // dx = dy − softmax(x) · Σ dy, per row.
            [withFloats(up) { g in withFloats(probabilities) { p in makeFloats(out.count) { dx in
                for r in stride(from: 0, to: out.count, by: n) {
                    var total = 0.0
                    for j in r..<(r + n) { total += Double(g[j]) }
                    let s = Float(total)
                    for j in r..<(r + n) { dx[j] = g[j] - p[j] * s }
                }
            } } }]
        }
    }

    /// The mean negative log-likelihood of `targets` (one id per row) under `logits`
    /// (`[rows, classes]`), a 0-d value: per row `log Σ e^x − x[target]`, computed as the
    /// inference NLL computes it (shifted by the row maximum, sums in Double).
    public func crossEntropy(_ logits: Variable, targets: [Int32]) throws(ModelError) -> Variable {
        let input = value(logits)
        guard input.ndim == 2, input.shape[0] == targets.count, targets.count > 0 else {
            throw ModelError("crossEntropy: expected logits [rows, classes] with one target per row, got logits \(input.shape) and \(targets.count) targets",
                             kind: .shape)
        }
        let rows = input.shape[0], n = input.shape[1]
        for (i, t) in targets.enumerated() where t < 0 || Int(t) >= n {
            throw ModelError("crossEntropy: targets[\(i)] = \(t) is outside 0..<\(n)")
        }
        var softmax = floatValues(input)
        let total = softmax.withUnsafeMutableBufferPointer { p -> Double in
            guard let e = p.baseAddress else { return 0 }
            var total = 0.0
            for (r, t) in targets.enumerated() {
                let row = e + r * n
                let picked = Double(row[Int(t)] - maximum(row, n: n))
                let (_, logSum) = shiftedLogSum(row, n: n)
                total += logSum - picked
            }
            return total
        }
        let loss = Tensor(shape: [], f32: [Float(total / Double(rows))])
        let probabilities = softmax
        return record(loss, inputs: [logits]) { up, _ in
            // d/dx = (softmax(x) − onehot(target)) · dy / rows.
            let scale = up[0] / Float(rows)
            var g = probabilities
            g.withUnsafeMutableBufferPointer { d in
                for i in d.indices { d[i] *= scale }
                for (r, t) in targets.enumerated() { d[r * n + Int(t)] -= scale }
            }
            return [g]
        }
    }

    private func lastAxis(_ t: Tensor, _ name: String) throws(ModelError) -> Int {
        guard let n = t.shape.last, n > 0 else {
            throw ModelError("\(name): expected a non-empty last axis, got shape \(t.shape)", kind: .shape)
        }
        return n
    }
}

/// Turns row `x[0..<n]` into its softmax in place and returns the row maximum and
/// `log Σ e^(x − max)` (the sum in Double, as the inference NLL).
func shiftedLogSum(_ x: UnsafeMutablePointer<Float>, n: Int) -> (shift: Float, logSum: Double) {
    let shift = maximum(x, n: n)
    let sum = expShifted(x, n: n, shift: shift)
    let inverse = Float(1 / sum)
    for j in 0..<n { x[j] *= inverse }
    return (shift, Foundation.log(sum))
}
