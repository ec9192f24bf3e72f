import TensorModule

/// The KV cache and scratch memory of single-token generation for one model shape.
public struct LlamaState: Sendable {
    /// Keys and values of every layer for `seqLen` positions, plus one row of activations.
    var workspace: LlamaWorkspace
    /// The shape this state was sized for.
    public let config: LlamaConfig

    /// An empty cache for a model of shape `config`.
    public init(config: LlamaConfig) {
        self.config = config
        workspace = LlamaWorkspace(config: config, rows: 1, cacheRows: config.seqLen)
    }
}

extension LlamaForward {
    /// Runs `token` at `position` against `state`'s cache (which must hold positions
    /// `0..<position` of the same sequence) and returns the `vocab` logits for the next token,
    /// as llama2.c's `forward`. Invalid weights, tokens or positions are programming errors.
    public static func step(_ weights: LlamaWeights, state: inout LlamaState, token: Int32, position: Int) -> [Float] {
        let flat: LlamaFlatWeights
        do {
            flat = try LlamaFlatWeights(weights)
        } catch {
            preconditionFailure("step: \(error)")
        }
        let c = flat.config
        precondition(c == state.config, "step: state was made for another model shape")
        precondition(token >= 0 && Int(token) < c.vocabSize, "step: token \(token) outside 0..<\(c.vocabSize)")
        precondition(position >= 0 && position < c.seqLen, "step: position \(position) outside 0..<\(c.seqLen)")
        let one = [token]
        one.withUnsafeBufferPointer { run(flat, tokens: $0, start: position, workspace: &state.workspace) }
        let start = state.workspace.logits
        return Array(state.workspace.storage[start..<(start + c.vocabSize)])
    }

    /// Greedy decoding with llama2.c semantics: runs positions `0..<steps` (capped at
    /// `seqLen`), forcing the prompt's tokens while it lasts and then taking the argmax (lowest
    /// id on ties); with `stopOnBOS` stops before emitting BOS (id 1). Returns the prompt's
    /// first token followed by every token produced, prompt included; empty for an empty prompt.
    public static func greedy(_ weights: LlamaWeights, prompt: [Int32], steps: Int, stopOnBOS: Bool = true) -> [Int32] {
        guard let first = prompt.first else { return [] }
        var state = LlamaState(config: weights.config)
        var output = [first]
        var token = first
        for position in 0..<min(steps, weights.config.seqLen) {
            let logits = step(weights, state: &state, token: token, position: position)
            let next: Int32
            if position + 1 < prompt.count {
                next = prompt[position + 1]
            } else {
                var best = 0
                for i in 1..<logits.count where logits[i] > logits[best] { best = i }
                next = Int32(best)
            }
            if stopOnBOS && next == 1 { break }
            output.append(next)
            token = next
        }
        return output
    }
}
