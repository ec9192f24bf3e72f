import TensorModule

/// GBLM-Pruner's gradient statistic (algorithms.md §1, "grad"): for each block linear, the
/// elementwise ℓ2 norm over calibration windows of the weight gradient of each window's own
/// mean next-token cross-entropy, `sqrt(Σ_n g_n²)`, from the model as it is.
public enum LlamaGradientNorms {
    /// The names of the linears the statistic covers, per block.
    public static let linears = ["wq", "wk", "wv", "wo", "w1", "w2", "w3"]

    /// `"layers.{i}.{name}"` with its `[out, in]` gradient norms, in model-file order, over the
    /// windows `calibrate` cuts (see `eachWindowGradient`). Sums run in f64. `progress(done,
    /// total)` runs after each window.
    public static func compute(_ weights: LlamaWeights, tokens: [Int32], windows: Int, seqlen: Int,
                               progress: (Int, Int) throws -> Void = { _, _ in }) throws -> [(name: String, norm: Tensor)] {
        let covered = blockLinears(weights.config)
        var sums: [String: [Double]] = [:]
        try eachWindowGradient(weights, tokens: tokens, windows: windows, seqlen: seqlen, names: covered.map(\.name),
                               progress: progress) { name, values in
            sums[name, default: [Double](repeating: 0, count: values.count)].withUnsafeMutableBufferPointer { acc in
                for j in 0..<values.count { acc[j] += Double(values[j]) * Double(values[j]) }
            }
        }
        return covered.map { name, shape in
            let s = sums[name] ?? [Double](repeating: 0, count: shape.reduce(1, *))
            return (name, Tensor(shape: shape, f32: s.map { Float($0.squareRoot()) }))
        }
    }

    /// Every block linear of `config` (`"layers.{i}.{name}"` for `linears`) with its shape, in
    /// model-file order.
    static func blockLinears(_ config: LlamaConfig) -> [(name: String, shape: [Int])] {
        LlamaParameters.expectedShapes(config).filter { entry in linears.contains { entry.name.hasSuffix(".\($0)") } }
    }

    /// Runs the reverse pass once per calibration window, a batch of one, and hands `body`
    /// each tensor of `names` with its gradient of that window's mean next-token
    /// cross-entropy, as flat floats. Window n has inputs `s[nW ..< nW+W]` and targets
    /// `s[nW+1 ... nW+W]` (the perplexity protocol of the data README; a window at the very
    /// end of the stream loses its last position, which has no target). Returns the number of
    /// windows run; `progress(done, total)` runs after each.
    @discardableResult
    static func eachWindowGradient(_ weights: LlamaWeights, tokens: [Int32], windows: Int, seqlen: Int, names: [String],
                                   progress: (Int, Int) throws -> Void,
                                   _ body: (String, UnsafeBufferPointer<Float>) throws -> Void) throws -> Int {
        let wanted = Set(names)
        var done = 0
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
                try g.floats().withUnsafeBufferPointer { try body(name, $0) }
            }
            done += 1
            try progress(done, windows)
        }
        return done
    }
}
