import TensorModule

/// The batched LLaMA forward on a `Tape`: the inference forward's operations (RMSNorm, RoPE
/// with the model's style and tables, causal grouped-query attention, SwiGLU, tied or untied
/// classifier), with per-block widths from `config.blocks`, for a batch of windows that each
/// start at position 0.
public enum LlamaGraph {
    /// The mean next-token cross-entropy (nats) of `targets` given `inputs`, both i32
    /// `[B, T]` (or `[T]` for one window) of vocabulary ids, `T ≤ seqLen`: every window runs
    /// from an empty cache, so row `t` of a window sees its tokens `0...t`. A 0-d variable.
    public static func loss(_ p: LlamaParameters, inputs: Tensor, targets: Tensor) throws(ModelError) -> Variable {
        let c = p.config
        try c.validate()
        let (ids, windows) = try tokens(inputs, "inputs", c)
        let (labels, _) = try tokens(targets, "targets", c)
        guard targets.shape == inputs.shape else {
            throw ModelError("targets: expected shape \(inputs.shape) (one per input), got \(targets.shape)", kind: .shape)
        }
        let tape = p.tape, d = c.dim, hs = c.headSize, eps = c.normEps
        let T = ids.count / windows
        let positions = (0..<ids.count).map { $0 % T }
        let table = RopeTable(config: c)
        let embedding = try p.checked("token_embedding", [c.vocabSize, d])
        var x = try tape.embedding(embedding, ids: ids)
        for (l, b) in c.blocks.enumerated() {
            func w(_ name: String, _ shape: [Int]) throws(ModelError) -> Variable { try p.checked("layers.\(l).\(name)", shape) }
            let qDim = b.nHeads * hs, kvDim = b.nKVHeads * hs, hidden = b.hiddenDim
            let attIn = try tape.rmsNorm(x, weight: try w("rms_att", [d]), eps: eps)
            if qDim > 0 {
                let q = try tape.rope(try tape.linear(attIn, try w("wq", [qDim, d])), positions: positions, table: table)
                let k = try tape.rope(try tape.linear(attIn, try w("wk", [kvDim, d])), positions: positions, table: table)
                let v = try tape.linear(attIn, try w("wv", [kvDim, d]))
                let heads = try tape.attention(query: q, key: k, value: v, windows: windows,
                                               nHeads: b.nHeads, nKVHeads: b.nKVHeads, headSize: hs)
                x = try tape.add(x, try tape.linear(heads, try w("wo", [d, qDim])))
            }
            let ffnIn = try tape.rmsNorm(x, weight: try w("rms_ffn", [d]), eps: eps)
            if hidden > 0 {
                let gate = try tape.linear(ffnIn, try w("w1", [hidden, d]))
                let up = try tape.linear(ffnIn, try w("w3", [hidden, d]))
                let h = try tape.swiGLU(gate: gate, up: up)
                x = try tape.add(x, try tape.linear(h, try w("w2", [d, hidden])))
            }
        }
        x = try tape.rmsNorm(x, weight: try p.checked("rms_final", [d]), eps: eps)
        let classifier = c.tiedEmbeddings ? embedding : try p.checked("wcls", [c.vocabSize, d])
        return try tape.crossEntropy(try tape.linear(x, classifier), targets: labels)
    }

    /// The ids of an i32 `[B, T]` or `[T]` tensor, row-major, and B; checked against the vocabulary and `seqLen`.
    private static func tokens(_ t: Tensor, _ name: String, _ c: LlamaConfig) throws(ModelError) -> ([Int32], Int) {
        guard case .i32(let ids) = t.data, (1...2).contains(t.ndim), let length = t.shape.last,
              length >= 1, length <= c.seqLen, t.count > 0 else {
            throw ModelError("\(name): expected i32 token ids [windows, 1...\(c.seqLen)] or [1...\(c.seqLen)], got \(t.dtype.rawValue) \(t.shape)",
                             kind: .shape)
        }
        for (i, id) in ids.enumerated() where id < 0 || Int(id) >= c.vocabSize {
            throw ModelError("\(name)[\(i)]: expected a token id in 0..<\(c.vocabSize), got \(id)")
        }
        return (ids, t.ndim == 2 ? t.shape[0] : 1)
    }
}
