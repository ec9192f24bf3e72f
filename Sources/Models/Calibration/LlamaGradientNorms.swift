import TensorModule

/// GBLM-Pruner's gradient statistic (algorithms.md §1, "grad"): for each block linear, the
/// elementwise ℓ2 norm over calibration windows of the weight gradient of each window's own
/// mean next-token cross-entropy, `sqrt(Σ_n g_n²)`, from the model as it is.
public enum LlamaGradientNorms {
    /// The names of the linears the statistic covers, per block.
    public static let linears = ["wq", "wk", "wv", "wo", "w1", "w2", "w3"]

    /// `"layers.{i}.{name}"` with its `[out, in]` gradient norms, in model-file order, over the windows `calibrate` cuts:
    /// window n has inputs `s[nW ..< nW+W]` and targets `s[nW+1 ... nW+W]` (the perplexity
    /// protocol of the data README; a window at the very end of the stream loses its last
    /// position, which has no target). Sums run in f64. `progress(done, total)` runs after
    /// each window.
    public static func compute(_ weights: LlamaWeights, tokens: [Int32], windows: Int, seqlen: Int,
                               progress: (Int, Int) throws -> Void = { _, _ in }) throws -> [(name: String, norm: Tensor)] {
        let covered = LlamaParameters.expectedShapes(weights.config).filter { entry in
            linears.contains { entry.name.hasSuffix(".\($0)") }
        }
        let names = covered.map(\.name), wanted = Set(names)
        var sums: [String: [Double]] = [:]
        for n in 0..<windows {
            let start = n * seqlen
            let length = min(seqlen, tokens.count - 1 - start)
            guard length >= 1 else { break }
            let inputs = Tensor(shape: [1, length], i32: Array(tokens[start..<(start + length)]))
            let targets = Tensor(shape: [1, length], i32: Array(tokens[(start + 1)...(start + length)]))
            let tape = Tape()
            let parameters = LlamaParameters(leavesOf: weights, on: tape, trainable: { wanted.contains($0) })
            let loss = try LlamaGraph.loss(parameters, inputs: inputs, targets: targets)
            let gradients = try tape.gradients(of: loss, withRespectTo: names.map { parameters[$0]! })
            for (name, g) in zip(names, gradients) {
                let values = g.floats()
                sums[name, default: [Double](repeating: 0, count: values.count)].withUnsafeMutableBufferPointer { acc in
                    values.withUnsafeBufferPointer { v in
                        for j in 0..<v.count { acc[j] += Double(v[j]) * Double(v[j]) }
                    }
                }
            }
            try progress(n + 1, windows)
        }
        return covered.map { name, shape in
            let s = sums[name] ?? [Double](repeating: 0, count: shape.reduce(1, *))
            return (name, Tensor(shape: shape, f32: s.map { Float($0.squareRoot()) }))
        }
    }
}
