import COpenBLAS
import Dispatch
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
        let workspace = runWindow(flat, tokens[...])
        let start = workspace.logits, count = tokens.count * flat.config.vocabSize
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
        return windowNLL(flat, inputs: inputs[...], targets: targets[...])
    }

    /// Perplexity of a token stream with the README's protocol: non-overlapping windows
    /// `inputs = s[i..<i+W]`, `targets = s[i+1..<i+W+1]` for `i = 0, W, 2W, …`, each from an
    /// empty cache; a last partial window counts when it has at least 2 tokens (one target).
    /// `ppl = exp(total NLL / scored)`. Windows run concurrently; their results are summed in
    /// window order, so the answer does not depend on scheduling.
    public static func perplexity(_ weights: LlamaWeights, stream: [Int32], window: Int) throws
        -> (ppl: Double, meanNLL: Double, windows: Int, scored: Int) {
        let flat = try LlamaFlatWeights(weights)
        guard window >= 1, window <= flat.config.seqLen else {
            throw ModelError("window: expected 1...\(flat.config.seqLen), got \(window)")
        }
        guard stream.count >= 2 else {
            throw ModelError("stream: expected at least 2 tokens, got \(stream.count)")
        }
        try flat.checkTokens(stream, "stream")
        let windowCount = (stream.count - 2) / window + 1
        var results = [(total: Double, count: Int)](repeating: (0, 0), count: windowCount)
        results.withUnsafeMutableBufferPointer { buffer in
            // Each iteration writes only its own slot `k`, so the writes never overlap.
            nonisolated(unsafe) let out = buffer
            DispatchQueue.concurrentPerform(iterations: windowCount) { k in
                let start = k * window
                let end = min(start + window, stream.count - 1)
                out[k] = windowNLL(flat, inputs: stream[start..<end], targets: stream[(start + 1)..<(end + 1)])
            }
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
    static func checkWindow(_ flat: LlamaFlatWeights, _ tokens: [Int32], _ name: String) throws {
        guard !tokens.isEmpty, tokens.count <= flat.config.seqLen else {
            throw ModelError("\(name): expected 1...\(flat.config.seqLen) tokens, got \(tokens.count)")
        }
        try flat.checkTokens(tokens, name)
    }

    /// Runs a checked window from position 0 and returns the workspace holding its logits.
    static func runWindow(_ flat: LlamaFlatWeights, _ tokens: ArraySlice<Int32>) -> LlamaWorkspace {
        var workspace = LlamaWorkspace(config: flat.config, rows: tokens.count, cacheRows: tokens.count)
        tokens.withUnsafeBufferPointer { run(flat, tokens: $0, start: 0, workspace: &workspace) }
        return workspace
    }

    /// Summed NLL of a checked window (Double log-softmax per row).
    static func windowNLL(_ flat: LlamaFlatWeights, inputs: ArraySlice<Int32>, targets: ArraySlice<Int32>)
        -> (total: Double, count: Int) {
        let workspace = runWindow(flat, inputs)
        let vocab = flat.config.vocabSize
        return workspace.storage.withUnsafeBufferPointer { buf in
            var total = 0.0
            for (r, target) in targets.enumerated() {
                let row = workspace.logits + r * vocab
                var maxValue = Double(buf[row])
                for j in 1..<vocab { maxValue = max(maxValue, Double(buf[row + j])) }
                var sum = 0.0
                for j in 0..<vocab { sum += exp(Double(buf[row + j]) - maxValue) }
                total += maxValue + log(sum) - Double(buf[row + Int(target)])
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
        precondition(rows >= 1 && rows <= workspace.rows && start >= 0 && start + rows <= workspace.cacheRows,
                     "forward: \(rows) rows at \(start) do not fit the workspace")
        let dim = c.dim, kvDim = c.kvDim, hidden = c.hiddenDim, eps = c.normEps
        let cacheRows = workspace.cacheRows
        let ws = workspace
        workspace.storage.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            let x = base + ws.x, xb = base + ws.xb, q = base + ws.q, att = base + ws.att
            let hb = base + ws.hb, hb2 = base + ws.hb2, scores = base + ws.scores
            for r in 0..<rows {
                w.embedding.withUnsafeBufferPointer { emb in
                    for j in 0..<dim { x[r * dim + j] = emb[Int(tokens[r]) * dim + j] }
                }
            }
            for (l, layer) in w.layers.enumerated() {
                let keyCache = base + ws.keys + l * cacheRows * kvDim
                let valueCache = base + ws.values + l * cacheRows * kvDim
                let k = keyCache + start * kvDim, v = valueCache + start * kvDim
                llamaRMSNorm(xb, x, weight: layer.rmsAtt, rows: rows, n: dim, eps: eps)
                llamaLinear(q, xb, weight: layer.wq, rows: rows, inDim: dim, outDim: dim)
                llamaLinear(k, xb, weight: layer.wk, rows: rows, inDim: dim, outDim: kvDim)
                llamaLinear(v, xb, weight: layer.wv, rows: rows, inDim: dim, outDim: kvDim)
                llamaRoPE(q, rows: rows, width: dim, headSize: c.headSize, start: start, theta: c.ropeTheta)
                llamaRoPE(k, rows: rows, width: kvDim, headSize: c.headSize, start: start, theta: c.ropeTheta)
                llamaAttention(att, query: q, keys: keyCache, values: valueCache, scores: scores, rows: rows,
                               start: start, nHeads: c.nHeads, nKVHeads: c.nKVHeads, headSize: c.headSize)
                llamaLinear(x, att, weight: layer.wo, rows: rows, inDim: dim, outDim: dim, accumulate: true)
                llamaRMSNorm(xb, x, weight: layer.rmsFFN, rows: rows, n: dim, eps: eps)
                llamaLinear(hb, xb, weight: layer.w1, rows: rows, inDim: dim, outDim: hidden)
                llamaLinear(hb2, xb, weight: layer.w3, rows: rows, inDim: dim, outDim: hidden)
                llamaSwiGLU(hb, up: hb2, n: rows * hidden)
                llamaLinear(x, hb, weight: layer.w2, rows: rows, inDim: hidden, outDim: dim, accumulate: true)
            }
            llamaRMSNorm(x, x, weight: w.rmsFinal, rows: rows, n: dim, eps: eps)
            llamaLinear(base + ws.logits, x, weight: w.classifier, rows: rows, inDim: dim, outDim: c.vocabSize)
        }
    }
}
