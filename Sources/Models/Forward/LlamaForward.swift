import COpenBLAS
import Foundation
import TensorModule

/// The LLaMA forward pass with llama2.c `run.c` semantics: RMSNorm, interleaved RoPE,
/// grouped-query causal attention, SwiGLU FFN, final RMSNorm and the classifier.
///
/// The batched path (`logits`, `nll`, `perplexity`) runs a whole window at once with GEMMs;
/// the generation path (`step`, `greedy`) runs one token against a `LlamaState` KV cache. Both
/// share the flat kernels in `LlamaKernels.swift`.
public enum LlamaForward {
    /// Logits `[T, vocab]` for a window of `T ≤ seqLen` tokens at positions `0..<T` from an
    /// empty cache; row `t` predicts the token after `tokens[t]`.
    public static func logits(_ weights: LlamaWeights, tokens: [Int32]) throws -> Tensor {
        let flat = try LlamaFlatWeights(weights)
        try checkWindow(flat, tokens, "tokens")
        var workspace = LlamaWorkspace(config: flat.config, rows: tokens.count, cacheRows: tokens.count)
        runWindow(flat, tokens[...], workspace: &workspace)
        let start = workspace.layout.logits, count = tokens.count * flat.config.vocabSize
        return Tensor(shape: [tokens.count, flat.config.vocabSize],
                      f32: Array(workspace.storage[start..<(start + count)]))
    }

    /// Total negative log-likelihood (nats) of `targets[t]` given `inputs[0...t]`, summed over
    /// the window, and the number of scored tokens. Log-softmax runs in Double per row.
    public static func nll(_ weights: LlamaWeights, inputs: [Int32], targets: [Int32]) throws
        -> (total: Double, count: Int) {
        let flat = try LlamaFlatWeights(weights)
        try checkWindow(flat, inputs, "inputs")
        guard targets.count == inputs.count else {
            throw ModelError("targets: expected \(inputs.count) tokens (one per input), got \(targets.count)")
        }
        try flat.checkTokens(targets, "targets")
        var workspace = LlamaWorkspace(config: flat.config, rows: inputs.count, cacheRows: inputs.count)
        return windowNLL(flat, inputs: inputs[...], targets: targets[...], workspace: &workspace)
    }

    /// Perplexity of a token stream with the README's protocol: non-overlapping windows
    /// `inputs = s[i..<i+W]`, `targets = s[i+1..<i+W+1]` for `i = 0, W, 2W, …`, each from an
    /// empty cache; a last partial window counts when it has at least 2 tokens (one target).
    /// `ppl = exp(total NLL / scored)`. Windows run concurrently (`computeWindows`, which calls
    /// `progress`); results are summed in window order, so the answer does not depend on
    /// scheduling.
    public static func perplexity(_ weights: LlamaWeights, stream: [Int32], window: Int,
                                            progress: (Int, Int) throws -> Void = { _, _ in })
        throws -> (ppl: Double, meanNLL: Double, windows: Int, scored: Int) {
        let flat = try LlamaFlatWeights(weights)
        guard window >= 1, window <= flat.config.seqLen else {
            throw ModelError("window: expected 1...\(flat.config.seqLen), got \(window)")
        }
        guard stream.count >= 2 else {
            throw ModelError("tokens: expected at least 2 tokens, got \(stream.count)")
        }
        try flat.checkTokens(stream, "tokens")
        let windowCount = (stream.count - 2) / window + 1
        let results = try computeWindows(windowCount, filler: (total: 0.0, count: 0),
                                         scratch: { LlamaWorkspace(config: flat.config, rows: window, cacheRows: window) },
                                         progress: progress) { k, workspace in
            let start = k * window
            let end = min(start + window, stream.count - 1)
            return windowNLL(flat, inputs: stream[start..<end], targets: stream[(start + 1)..<(end + 1)], workspace: &workspace)
        }
        var total = 0.0, scored = 0
        for r in results {
            total += r.total
            scored += r.count
        }
        let mean = total / Double(scored)
        return (exp(mean), mean, windowCount, scored)
    }

    /// Throws unless `tokens` is a non-empty window of at most `seqLen` vocabulary ids.
    static func checkWindow(_ flat: LlamaFlatWeights, _ tokens: [Int32], _ name: String) throws(ModelError) {
        guard !tokens.isEmpty, tokens.count <= flat.config.seqLen else {
            throw ModelError("\(name): expected 1...\(flat.config.seqLen) tokens, got \(tokens.count)")
        }
        try flat.checkTokens(tokens, name)
    }

    /// Runs a checked window from position 0 in `workspace` (sized for at least its length),
    /// leaving its logits in the workspace's logits rows.
    static func runWindow(_ flat: LlamaFlatWeights, _ tokens: ArraySlice<Int32>, workspace: inout LlamaWorkspace) {
        tokens.withUnsafeBufferPointer { run(flat, tokens: $0, start: 0, workspace: &workspace) }
    }

    /// Summed NLL of a checked window (log-softmax per row, sums in Double), in `workspace`.
    static func windowNLL(_ flat: LlamaFlatWeights, inputs: ArraySlice<Int32>, targets: ArraySlice<Int32>,
                          workspace: inout LlamaWorkspace) -> (total: Double, count: Int) {
        runWindow(flat, inputs, workspace: &workspace)
        let vocab = flat.config.vocabSize, logits = workspace.layout.logits
        // The logits rows are scratch now: exponentiate them in place (sums in Double).
        return workspace.storage.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return (0, 0) }
            var total = 0.0
            for (r, target) in targets.enumerated() {
                let row = base + logits + r * vocab
                let maxValue = maximum(row, n: vocab)
                let picked = Double(row[Int(target)] - maxValue)
                total += log(expShifted(row, n: vocab, shift: maxValue)) - picked
            }
            return (total, targets.count)
        }
    }

    /// The forward pass of `tokens` at positions `start..<start+tokens.count`: writes their
    /// keys and values into the workspace cache (which must already hold positions
    /// `0..<start`) and their logits into the workspace's logits rows.
    static func run(_ w: LlamaFlatWeights, tokens: UnsafeBufferPointer<Int32>, start: Int,
                    workspace: inout LlamaWorkspace) {
        let c = w.config
        let rows = tokens.count
        precondition(rows >= 1 && rows <= workspace.layout.rows && start >= 0 && start + rows <= workspace.layout.cacheRows,
                     "forward: \(rows) rows at \(start) do not fit the workspace")
        let ws = workspace.layout
        workspace.storage.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            embedRows(w, tokens: tokens, into: base + ws.x)
            for l in w.layers.indices {
                runBlock(w, l, rows: rows, start: start, workspace: ws, base: base)
            }
            let x = base + ws.x
            llamaRMSNorm(x, x, weight: w.rmsFinal, rows: rows, n: c.dim, eps: c.normEps)
            w.classifier.apply(base + ws.logits, x, rows: rows)
        }
    }

    /// Copies the embedding rows of `tokens` (checked ids) into `x` (`[tokens.count, dim]`).
    static func embedRows(_ w: LlamaFlatWeights, tokens: UnsafeBufferPointer<Int32>, into x: UnsafeMutablePointer<Float>) {
        let dim = w.config.dim
        w.embedding.withUnsafeBufferPointer { emb in
            guard let source = emb.baseAddress else { return }
            for (r, token) in tokens.enumerated() {
                (x + r * dim).update(from: source + Int(token) * dim, count: dim)
            }
        }
    }

    /// Decoder block `l` on the `rows` residual rows in the workspace's `x` (positions
    /// `start..<start+rows`, cache holding `0..<start`), in place. `observe`, when given, sees
    /// the input of each group of linears (`LinearInput`) as `[rows, width]` before it is used.
    static func runBlock(_ w: LlamaFlatWeights, _ l: Int, rows: Int, start: Int, workspace ws: LlamaLayout,
                         base: UnsafeMutablePointer<Float>, observe: LinearInputObserver? = nil) {
        let c = w.config, layer = w.layers[l], shape = layer.shape
        let dim = c.dim, hs = c.headSize, eps = c.normEps
        let qDim = shape.nHeads * hs, kvDim = shape.nKVHeads * hs, hidden = shape.hiddenDim
        let x = base + ws.x, xb = base + ws.xb, q = base + ws.q, att = base + ws.att
        let hb = base + ws.hb, hb2 = base + ws.hb2
        let keyCache = base + ws.keys + l * ws.cacheStride
        let valueCache = base + ws.values + l * ws.cacheStride
        // Decoding keeps keys transposed (`[kvDim, cacheRows]`): the new key goes to scratch first.
        let k = ws.keysTransposed ? base + ws.key : keyCache + start * kvDim, v = valueCache + start * kvDim
        llamaRMSNorm(xb, x, weight: layer.rmsAtt, rows: rows, n: dim, eps: eps)
        observe?(.attention, UnsafePointer(xb), rows, dim)
        if qDim > 0 {
            layer.wq.apply(q, xb, rows: rows)
            layer.wk.apply(k, xb, rows: rows)
            layer.wv.apply(v, xb, rows: rows)
            llamaRoPE(q, rows: rows, width: qDim, headSize: hs, start: start, cos: w.ropeCos, sin: w.ropeSin, style: c.ropeStyle)
            llamaRoPE(k, rows: rows, width: kvDim, headSize: hs, start: start, cos: w.ropeCos, sin: w.ropeSin, style: c.ropeStyle)
            if ws.keysTransposed {
                for d in 0..<kvDim { keyCache[d * ws.cacheRows + start] = k[d] }
                llamaAttentionOneRow(att, query: q, transposedKeys: keyCache, values: valueCache, scores: base + ws.scores,
                                     position: start, cacheRows: ws.cacheRows, nHeads: shape.nHeads,
                                     nKVHeads: shape.nKVHeads, headSize: hs)
            } else {
                llamaAttention(att, query: q, keys: keyCache, values: valueCache, scores: base + ws.scores, rows: rows,
                               start: start, nHeads: shape.nHeads, nKVHeads: shape.nKVHeads, headSize: hs)
            }
            observe?(.heads, UnsafePointer(att), rows, qDim)
            layer.wo.apply(x, att, rows: rows, accumulate: true)
        } else {
            observe?(.heads, UnsafePointer(att), rows, 0)
        }
        llamaRMSNorm(xb, x, weight: layer.rmsFFN, rows: rows, n: dim, eps: eps)
        observe?(.ffn, UnsafePointer(xb), rows, dim)
        if hidden > 0 {
            layer.w1.apply(hb, xb, rows: rows)
            layer.w3.apply(hb2, xb, rows: rows)
            llamaSwiGLU(hb, up: hb2, n: rows * hidden)
        }
        observe?(.hidden, UnsafePointer(hb), rows, hidden)
        if hidden > 0 {
            layer.w2.apply(x, hb, rows: rows, accumulate: true)
        }
    }
}

/// The four inputs of a decoder block's linears (algorithms.md §1): `wq wk wv` share the
/// attention-norm output, `wo` reads the concatenated heads, `w1 w3` share the FFN-norm
/// output, `w2` reads `silu(w1 x) ⊙ (w3 x)`.
public enum LinearInput: Int, Sendable, CaseIterable {
    case attention, heads, ffn, hidden

    /// The linears reading this input, in `wq wk wv wo w1 w2 w3` order.
    public var linears: [String] {
        switch self {
        case .attention: return ["wq", "wk", "wv"]
        case .heads: return ["wo"]
        case .ffn: return ["w1", "w3"]
        case .hidden: return ["w2"]
        }
    }

    /// The input that linear `name` reads, nil for an unknown name.
    public static func of(_ name: String) -> LinearInput? {
        allCases.first { $0.linears.contains(name) }
    }
}

/// Sees one linear input of a block: which one, its rows `[rows, width]`.
typealias LinearInputObserver = (LinearInput, UnsafePointer<Float>, Int, Int) -> Void
