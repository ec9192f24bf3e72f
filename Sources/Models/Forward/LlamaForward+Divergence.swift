import Foundation

extension LlamaForward {
    /// Mean per-position `KL(P_reference ‖ P_model)` in nats of the next-token distributions
    /// of two models with the same vocabulary over `stream`, cut into non-overlapping windows
    /// of `window` tokens (the last one may be shorter), each from an empty cache. Softmaxes
    /// in Double; windows run concurrently and are summed in order. `progress(done, total)`
    /// runs between batches of windows and may throw to stop.
    public static func klDivergence(_ model: LlamaWeights, reference: LlamaWeights, stream: [Int32], window: Int,
                                    progress: (Int, Int) throws -> Void = { _, _ in }) throws -> Double {
        let flat = try LlamaFlatWeights(model), ref = try LlamaFlatWeights(reference)
        guard flat.config.vocabSize == ref.config.vocabSize else {
            throw ModelError("reference_model: expected a vocabulary of \(flat.config.vocabSize) like the model's, got \(ref.config.vocabSize)", kind: .shape)
        }
        let limit = min(flat.config.seqLen, ref.config.seqLen)
        guard window >= 1, window <= limit else { throw ModelError("window: expected 1...\(limit), got \(window)") }
        guard !stream.isEmpty else { throw ModelError("tokens: expected at least 1 token, got 0") }
        try flat.checkTokens(stream, "tokens")
        let windowCount = (stream.count + window - 1) / window
        let vocab = flat.config.vocabSize
        let sums = try computeWindows(windowCount, filler: 0.0, scratch: {
            (LlamaWorkspace(config: ref.config, rows: window, cacheRows: window),
             LlamaWorkspace(config: flat.config, rows: window, cacheRows: window))
        }, progress: progress) { k, workspaces in
            let tokens = stream[(k * window)..<min(stream.count, (k + 1) * window)]
            runWindow(ref, tokens, workspace: &workspaces.0)
            runWindow(flat, tokens, workspace: &workspaces.1)
            let (p, q) = workspaces
            var total = 0.0
            for r in 0..<tokens.count {
                total += rowKL(p.storage, p.layout.logits + r * vocab, q.storage, q.layout.logits + r * vocab, vocab)
            }
            return total
        }
        return sums.reduce(0, +) / Double(stream.count)
    }

    /// `KL(softmax(a) ‖ softmax(b))` for logit rows `a[ia..<ia+n]` and `b[ib..<ib+n]`.
    private static func rowKL(_ a: [Float], _ ia: Int, _ b: [Float], _ ib: Int, _ n: Int) -> Double {
        var maxA = -Double.infinity, maxB = -Double.infinity
        for j in 0..<n {
            maxA = max(maxA, Double(a[ia + j]))
            maxB = max(maxB, Double(b[ib + j]))
        }
        var sumA = 0.0, sumB = 0.0
        for j in 0..<n {
            sumA += exp(Double(a[ia + j]) - maxA)
            sumB += exp(Double(b[ib + j]) - maxB)
        }
        let logZA = maxA + log(sumA), logZB = maxB + log(sumB)
        var kl = 0.0
        for j in 0..<n {
            let logP = Double(a[ia + j]) - logZA, logQ = Double(b[ib + j]) - logZB
            kl += exp(logP) * (logP - logQ)
        }
        return max(kl, 0)
    }
}
