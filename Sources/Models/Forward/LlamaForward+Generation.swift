import Foundation
import TensorModule

/// A model ready for single-token decoding: its checked weights and a KV cache of `seqLen`
/// positions (llama2.c's `Transformer` + `RunState`).
public struct LlamaDecoder: Sendable {
    let flat: LlamaFlatWeights
    var workspace: LlamaWorkspace

    /// A decoder with an empty cache; throws when the weights do not fit their config.
    public init(_ weights: LlamaWeights) throws(ModelError) {
        flat = try LlamaFlatWeights(weights, forDecoding: true)
        workspace = LlamaWorkspace(config: flat.config, rows: 1, cacheRows: flat.config.seqLen, keysTransposed: true)
    }

    /// The model shape.
    public var config: LlamaConfig { flat.config }

    /// Runs `token` at `position` against the cache (which must hold positions `0..<position`
    /// of the same sequence) and returns the `vocab` logits for the next token, as llama2.c's
    /// `forward`. An id outside the vocabulary or a position past `seqLen` is a programming error.
    public mutating func step(token: Int32, position: Int) -> [Float] {
        let c = flat.config
        precondition(token >= 0 && Int(token) < c.vocabSize, "step: token \(token) outside 0..<\(c.vocabSize)")
        precondition(position >= 0 && position < c.seqLen, "step: position \(position) outside 0..<\(c.seqLen)")
        let one = [token]
        one.withUnsafeBufferPointer { LlamaForward.run(flat, tokens: $0, start: position, workspace: &workspace) }
        let start = workspace.layout.logits
        return Array(workspace.storage[start..<(start + c.vocabSize)])
    }
}

extension LlamaForward {
    /// Decodes up to `count` new tokens after `prompt` (non-empty, checked ids), never past
    /// `seqLen` positions: the prompt is fed token by token, then each next token is the
    /// argmax (lowest id on ties) at `temperature` 0, else a draw from
    /// `softmax(logits / temperature)` using `random`. Stops before emitting BOS or EOS.
    /// `progress(produced)` runs after each new token and may throw to stop early (the
    /// tokens so far are lost with the error). Returns only the new tokens.
    public static func generate(_ weights: LlamaWeights, prompt: [Int32], count: Int, temperature: Double,
                                          random: inout RandomStream,
                                          progress: (Int) throws -> Void = { _ in })
        throws -> [Int32] {
        var decoder = try LlamaDecoder(weights)
        let c = decoder.config
        guard !prompt.isEmpty else { throw ModelError("prompt: expected at least one token (BOS for an empty prompt)") }
        guard prompt.count < c.seqLen else {
            throw ModelError("prompt: \(prompt.count) tokens leave no room in the model's \(c.seqLen) positions")
        }
        guard temperature >= 0, temperature.isFinite else {
            throw ModelError("temperature: expected a number ≥ 0, got \(temperature)")
        }
        try decoder.flat.checkTokens(prompt, "prompt")
        var output: [Int32] = []
        var logits: [Float] = []
        for (position, token) in prompt.enumerated() { logits = decoder.step(token: token, position: position) }
        var position = prompt.count
        while output.count < count {
            let next = temperature == 0 ? argmax(logits) : sample(logits, temperature: temperature, random: &random)
            if next == Tokenizer.bosID || next == Tokenizer.eosID { break }
            output.append(next)
            try progress(output.count)
            guard position < c.seqLen, output.count < count else { break }
            logits = decoder.step(token: next, position: position)
            position += 1
        }
        return output
    }

    /// Greedy decoding with llama2.c's `run -t 0` semantics: runs positions `0..<steps` (capped
    /// at `seqLen`), forcing the prompt while it lasts, and stops before BOS. Returns the prompt
    /// followed by every token produced; empty for an empty prompt.
    public static func greedy(_ weights: LlamaWeights, prompt: [Int32], steps: Int) throws -> [Int32] {
        guard !prompt.isEmpty else { return [] }
        var random = RandomStream(seed: 0)
        let room = min(steps, weights.config.seqLen) - prompt.count + 1
        let new = room > 0 ? try generate(weights, prompt: prompt, count: room, temperature: 0, random: &random) : []
        return Array(prompt.prefix(min(prompt.count, max(steps, 1)))) + new
    }

    /// The index of the largest logit (lowest on ties).
    static func argmax(_ logits: [Float]) -> Int32 {
        var best = 0
        for i in 1..<logits.count where logits[i] > logits[best] { best = i }
        return Int32(best)
    }

    /// A draw from `softmax(logits / temperature)` (in Double): the first id whose cumulative
    /// probability exceeds one uniform number from `random`.
    static func sample(_ logits: [Float], temperature: Double, random: inout RandomStream) -> Int32 {
        let maxValue = Double(logits.max() ?? 0)
        let weights = logits.map { exp((Double($0) - maxValue) / temperature) }
        let u = random.nextDouble() * weights.reduce(0, +)
        var cumulative = 0.0
        for i in weights.indices {
            cumulative += weights[i]
            if u < cumulative { return Int32(i) }
        }
        return Int32(logits.count - 1)
    }
}
