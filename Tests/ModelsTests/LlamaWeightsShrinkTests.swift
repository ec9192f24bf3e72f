import Foundation
import Testing
import TensorModule
@testable import Models

@Suite struct LlamaWeightsShrinkTests {
    /// dim 16, head size 4, 4 query heads sharing 2 key/value heads (n_rep 2), hidden 12.
    func gqaModel(tied: Bool) -> LlamaWeights {
        tinyModel(config: LlamaConfig(dim: 16, hiddenDim: 12, nLayers: 3, nHeads: 4, nKVHeads: 2, vocabSize: 13,
                                      seqLen: 16, tiedEmbeddings: tied), seed: 3)
    }

    /// `weights` with the removed channels zeroed in place: columns of `w2` outside the
    /// kept neurons, columns of `wo` outside the kept groups' query heads.
    func masked(_ weights: LlamaWeights, neurons: [Int: [Int]], kvGroups: [Int: [Int]]) -> LlamaWeights {
        var out = weights
        func zeroColumns(_ t: Tensor, keeping kept: Set<Int>) -> Tensor {
            let cols = t.shape[1]
            let values = floats(t).enumerated().map { kept.contains($0.offset % cols) ? $0.element : 0 }
            return Tensor(shape: t.shape, f32: values)
        }
        for (i, layer) in weights.layers.enumerated() {
            let b = weights.config.blocks[i], width = b.nHeads / b.nKVHeads * weights.config.headSize
            if let kept = neurons[i] { out.layers[i].w2 = zeroColumns(layer.w2, keeping: Set(kept)) }
            if let kept = kvGroups[i] {
                out.layers[i].wo = zeroColumns(layer.wo, keeping: Set(kept.flatMap { ($0 * width)..<(($0 + 1) * width) }))
            }
        }
        return out
    }

    func worstDifference(_ a: LlamaWeights, _ b: LlamaWeights, tokens: [Int32]) throws -> Float {
        let x = floats(try LlamaForward.logits(a, tokens: tokens)), y = floats(try LlamaForward.logits(b, tokens: tokens))
        #expect(x.count == y.count)
        return zip(x, y).map { abs($0 - $1) }.max() ?? .infinity
    }

    let tokens: [Int32] = [1, 7, 3, 12, 0, 5, 5, 9, 2, 11]

    @Test(arguments: [false, true])
    func shrunkLogitsEqualMaskedLogits(tied: Bool) throws {
        let weights = gqaModel(tied: tied)
        let neurons = [0: [1, 4, 5, 11], 2: [0, 2, 3, 6, 7, 8, 9, 10, 11]]
        let groups = [0: [1], 1: [0]]
        let shrunk = try weights.shrunk(neurons: neurons, kvGroups: groups)
        #expect(shrunk.config.blocks.map(\.hiddenDim) == [4, 12, 9])
        #expect(shrunk.config.blocks.map(\.nKVHeads) == [1, 1, 2])
        #expect(shrunk.config.blocks.map(\.nHeads) == [2, 2, 4])
        #expect(shrunk.config.headSize == 4)
        #expect(shrunk.layers[0].wq.shape == [8, 16] && shrunk.layers[0].wk.shape == [4, 16])
        #expect(shrunk.layers[0].wo.shape == [16, 8] && shrunk.layers[0].w2.shape == [16, 4])
        #expect(shrunk.layers[2].w1.shape == [9, 16] && shrunk.layers[2].w3.shape == [9, 16])
        // Group 1 of block 0 keeps key/value rows 4..<8 and query rows 8..<16 (heads 2, 3).
        #expect(floats(shrunk.layers[0].wk) == Array(floats(weights.layers[0].wk)[64..<128]))
        #expect(floats(shrunk.layers[0].wq) == Array(floats(weights.layers[0].wq)[128..<256]))
        let reference = masked(weights, neurons: neurons, kvGroups: groups)
        #expect(try worstDifference(shrunk, reference, tokens: tokens) <= 1e-5)
        // The removed channels mattered: the masked model differs from the dense one.
        #expect(try worstDifference(weights, reference, tokens: tokens) > 1e-3)
    }

    @Test func aBlockShrunkToNothingAddsNothing() throws {
        let weights = gqaModel(tied: true)
        let shrunk = try weights.shrunk(neurons: [1: []], kvGroups: [0: [], 1: []])
        #expect(shrunk.config.blocks[0] == LlamaBlockShape(hiddenDim: 12, nHeads: 0, nKVHeads: 0))
        #expect(shrunk.config.blocks[1] == LlamaBlockShape(hiddenDim: 0, nHeads: 0, nKVHeads: 0))
        #expect(shrunk.layers[1].w2.shape == [16, 0] && shrunk.layers[0].wq.shape == [0, 16])
        let reference = masked(weights, neurons: [1: []], kvGroups: [0: [], 1: []])
        #expect(try worstDifference(shrunk, reference, tokens: tokens) <= 1e-5)
        let ppl = try LlamaForward.perplexity(shrunk, stream: tokens, window: 4).ppl
        #expect(ppl.isFinite)
    }

    @Test func decodingAShrunkModelMatchesItsBatchedLogits() throws {
        let shrunk = try gqaModel(tied: false).shrunk(neurons: [0: [], 2: [5]], kvGroups: [1: [], 2: [0]])
        let batched = floats(try LlamaForward.logits(shrunk, tokens: tokens))
        var decoder = try LlamaDecoder(shrunk)
        var worst: Float = 0
        for (pos, token) in tokens.enumerated() {
            let stepped = decoder.step(token: token, position: pos)
            for j in 0..<13 { worst = max(worst, abs(batched[pos * 13 + j] - stepped[j]) / max(1, abs(stepped[j]))) }
        }
        #expect(worst <= 1e-4, "worst relative difference \(worst)")
    }

    @Test func aShrunkModelRoundTripsThroughSafetensors() throws {
        let shrunk = try gqaModel(tied: false).shrunk(neurons: [0: [2, 3], 1: []], kvGroups: [0: [], 2: [1]])
        let json = LlamaModelFile.configJSON(shrunk.config)
        #expect(json.contains("\"hidden_dim\": [2, 0, 12]"))
        #expect(json.contains("\"n_heads\": [0, 4, 2]"))
        #expect(json.contains("\"n_kv_heads\": [0, 2, 1]"))
        let bytes = LlamaModelFile.encode(shrunk, tokenizer: nil)
        let back = try LlamaModelFile.decode(try Safetensors.read(Data(bytes), name: "s.safetensors"), configJSON: nil,
                                             name: "s.safetensors").weights
        #expect(back.config == shrunk.config)
        #expect(try LlamaForward.logits(back, tokens: tokens) == LlamaForward.logits(shrunk, tokens: tokens))
    }

    @Test func keepingEverythingChangesNothing() throws {
        let weights = gqaModel(tied: false)
        let shrunk = try weights.shrunk(neurons: [0: Array(0..<12)], kvGroups: [1: [0, 1]])
        #expect(shrunk.config == weights.config)
        #expect(LlamaModelFile.tensors(shrunk).map(\.tensor) == LlamaModelFile.tensors(weights).map(\.tensor))
    }

    @Test func aConfigTakesItsHeadRatioFromTheFirstBlockWithHeads() throws {
        func config(_ blocks: [(Int, Int)]) -> LlamaConfig {
            LlamaConfig(dim: 16, headSize: 4, blocks: blocks.map { LlamaBlockShape(hiddenDim: 8, nHeads: $0.0, nKVHeads: $0.1) },
                        vocabSize: 13, seqLen: 16, tiedEmbeddings: true)
        }
        try config([(0, 0), (4, 2), (2, 1)]).validate()
        try config([(0, 0), (0, 0)]).validate()
        #expect(throws: ModelError("config: block 2 has hidden_dim 8, n_heads 2, n_kv_heads 2; n_heads must be 2 × n_kv_heads in every block")) {
            try config([(0, 0), (4, 2), (2, 2)]).validate()
        }
        // Key/value heads without query heads read by none: an error, also in the first block.
        #expect(throws: ModelError("config: block 0 has hidden_dim 8, n_heads 0, n_kv_heads 2; key/value heads need query heads (n_heads a positive multiple of n_kv_heads)")) {
            try config([(0, 2), (4, 2)]).validate()
        }
    }

    @Test func badIndicesAreErrorsNamingTheBlock() throws {
        let weights = gqaModel(tied: false)
        #expect(throws: ModelError("the kept FFN neurons of block 1 (columns of layers.1.w2): index 12 is outside 0..<12")) {
            try weights.shrunk(neurons: [1: [0, 12]])
        }
        #expect(throws: ModelError("the kept key/value groups of block 0 (of layers.0.wo) must be sorted and without repeats, got 1 before 0")) {
            try weights.shrunk(kvGroups: [0: [1, 0]])
        }
        #expect(throws: ModelError("the kept FFN neurons of block 2 (columns of layers.2.w2) must be sorted and without repeats, got 3 before 3")) {
            try weights.shrunk(neurons: [2: [3, 3]])
        }
        #expect(throws: ModelError("kv groups given for block 3, but the model has blocks 0..<3")) {
            try weights.shrunk(kvGroups: [3: [0]])
        }
    }
}
