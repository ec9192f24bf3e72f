import TensorModule

/// Adapt-Pruner's structured channel scores (algorithms.md §8, step 3): the first-order
/// Taylor estimate of the loss change when a channel is removed, `Σ|w · ∂L/∂w|` over every
/// weight tied to it, with L the mean over calibration windows of each window's mean
/// next-token cross-entropy, from the model as it is (a channel whose weights are all zero
/// scores 0).
///
/// Channels: FFN neuron j of block i is row j of `w1` and `w3` and column j of `w2`; KV group
/// g (one KV head and its `n_rep = n_heads / n_kv_heads` query heads, as `Tape.attention`
/// pairs them) is rows `g·hs ..< (g+1)·hs` of `wk` and `wv`, rows `g·n_rep·hs ..<
/// (g+1)·n_rep·hs` of `wq` and the same columns of `wo` (hs the head size).
///
/// Paper: Pan et al., "Adapt-Pruner: Adaptive Structural Pruning for Efficient Small Language
/// Model Training", arXiv 2502.03460.
public enum ChannelTaylor {
    /// Per block, `"layers.{i}.wo"` → `[n_kv_heads_i]` KV-group scores and `"layers.{i}.w2"` →
    /// `[hidden_dim_i]` neuron scores, in model-file order, on the windows `calibrate` cuts
    /// (gradients as `LlamaGradientNorms` takes them, one window at a time, averaged in f64).
    public static func compute(_ weights: LlamaWeights, tokens: [Int32], windows: Int, seqlen: Int,
                               progress: (Int, Int) throws -> Void = { _, _ in }) throws -> [(name: String, scores: Tensor)] {
        let linears = LlamaGradientNorms.blockLinears(weights.config)
        var sums: [String: [Double]] = [:]
        let used = try LlamaGradientNorms.eachWindowGradient(weights, tokens: tokens, windows: windows, seqlen: seqlen,
                                                             names: linears.map(\.name), progress: progress) { name, g in
            sums[name, default: [Double](repeating: 0, count: g.count)].withUnsafeMutableBufferPointer { acc in
                for j in 0..<g.count { acc[j] += Double(g[j]) }
            }
        }
        let scale = 1 / Double(max(used, 1))
        let named = Dictionary(uniqueKeysWithValues: LlamaModelFile.tensors(weights))
        /// `|w ⊙ ∂L/∂w|` of one block linear, `[out, in]` row-major.
        func saliency(_ name: String) -> [Double] {
            let w = named[name]!.floats()
            guard let g = sums[name] else { return [Double](repeating: 0, count: w.count) }
            return (0..<w.count).map { Swift.abs(Double(w[$0]) * g[$0] * scale) }
        }
        var out: [(name: String, scores: Tensor)] = []
        let hs = weights.config.headSize
        for (i, block) in weights.config.blocks.enumerated() {
            let p = "layers.\(i)."
            let d = weights.config.dim, rep = block.nKVHeads > 0 ? block.nHeads / block.nKVHeads : 0
            let q = block.nHeads * hs, h = block.hiddenDim
            var heads = [Double](repeating: 0, count: block.nKVHeads)
            addRows(saliency(p + "wq"), columns: d, rowsPerChannel: rep * hs, into: &heads)
            addRows(saliency(p + "wk"), columns: d, rowsPerChannel: hs, into: &heads)
            addRows(saliency(p + "wv"), columns: d, rowsPerChannel: hs, into: &heads)
            addColumns(saliency(p + "wo"), columns: q, columnsPerChannel: rep * hs, into: &heads)
            out.append((p + "wo", Tensor(shape: [block.nKVHeads], f32: heads.map { Float($0) })))
            var neurons = [Double](repeating: 0, count: h)
            addRows(saliency(p + "w1"), columns: d, rowsPerChannel: 1, into: &neurons)
            addRows(saliency(p + "w3"), columns: d, rowsPerChannel: 1, into: &neurons)
            addColumns(saliency(p + "w2"), columns: h, columnsPerChannel: 1, into: &neurons)
            out.append((p + "w2", Tensor(shape: [h], f32: neurons.map { Float($0) })))
        }
        return out
    }

    /// Adds each row of the row-major `[rows, columns]` matrix `m` to the channel
    /// `row / rowsPerChannel`.
    private static func addRows(_ m: [Double], columns: Int, rowsPerChannel: Int, into channels: inout [Double]) {
        guard columns > 0, rowsPerChannel > 0 else { return }
        for (index, x) in m.enumerated() { channels[index / columns / rowsPerChannel] += x }
    }

    /// Adds each column of the row-major `[rows, columns]` matrix `m` to the channel
    /// `column / columnsPerChannel`.
    private static func addColumns(_ m: [Double], columns: Int, columnsPerChannel: Int, into channels: inout [Double]) {
        guard columns > 0, columnsPerChannel > 0 else { return }
        for (index, x) in m.enumerated() { channels[index % columns / columnsPerChannel] += x }
    }
}
