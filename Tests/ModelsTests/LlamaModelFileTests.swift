import Foundation
import Testing
import TensorModule
@testable import Models

@Suite struct LlamaModelFileTests {
    /// `weights` saved and read back through safetensors.
    func roundTrip(_ weights: LlamaWeights, tokenizer: Tokenizer? = nil) throws -> (weights: LlamaWeights, tokenizer: Tokenizer?) {
        let bytes = LlamaModelFile.encode(weights, tokenizer: tokenizer)
        return try LlamaModelFile.decode(try Safetensors.read(Data(bytes), name: "m.safetensors"), configJSON: nil, name: "m.safetensors")
    }

    @Test func anUntiedModelRoundTripsWithItsConfigAndLogits() throws {
        let weights = tinyModel()
        let back = try roundTrip(weights).weights
        #expect(back.config == weights.config)
        #expect(back.classifier == weights.classifier)
        #expect(LlamaModelFile.tensors(back).map(\.tensor) == LlamaModelFile.tensors(weights).map(\.tensor))
        #expect(try LlamaForward.logits(back, tokens: [1, 2, 3]) == LlamaForward.logits(weights, tokens: [1, 2, 3]))
    }

    @Test func perLayerWidthsAndHalfRopeRoundTrip() throws {
        var weights = tinyModel()
        weights.config.ropeStyle = .half
        weights.config.ropeTheta = 500
        // Block 1 loses 4 of its 12 FFN neurons: rows of w1, w3 and columns of w2.
        weights.config.blocks[1].hiddenDim = 8
        let l = weights.layers[1]
        weights.layers[1].w1 = Tensor(shape: [8, 8], f32: Array(floats(l.w1).prefix(64)))
        weights.layers[1].w3 = Tensor(shape: [8, 8], f32: Array(floats(l.w3).prefix(64)))
        let w2 = floats(l.w2)
        weights.layers[1].w2 = Tensor(shape: [8, 8], f32: (0..<64).map { w2[($0 / 8) * 12 + $0 % 8] })
        let json = LlamaModelFile.configJSON(weights.config)
        #expect(json.contains("\"hidden_dim\": [12, 8]"))
        #expect(json.contains("\"rope_style\": \"half\""))
        let back = try roundTrip(weights).weights
        #expect(back.config == weights.config)
        #expect(try LlamaForward.logits(back, tokens: [4, 5]) == LlamaForward.logits(weights, tokens: [4, 5]))
    }

    @Test func theTokenizerTravelsInTheMetadata() throws {
        let pieces = ["<unk>", "\n<s>\n", "\n</s>\n"] + (0..<8).map { "p\($0)" }
        let tokenizer = Tokenizer(pieces: pieces.map { Array($0.utf8) }, scores: pieces.indices.map { -Float($0) }, maxTokenLength: 6)
        let back = try #require(try roundTrip(tinyModel(), tokenizer: tokenizer).tokenizer)
        #expect(back.pieces == tokenizer.pieces && back.scores == tokenizer.scores)
    }

    @Test func configFromJSONDefaultsAndErrors() throws {
        let c = try LlamaModelFile.parseConfig(#"{"dim": 64, "hidden_dim": 172, "n_layers": 5, "n_heads": 8, "n_kv_heads": 4, "vocab_size": 512, "seq_len": 512}"#, name: "config.json")
        #expect(c == LlamaConfig(dim: 64, hiddenDim: 172, nLayers: 5, nHeads: 8, nKVHeads: 4, vocabSize: 512, seqLen: 512, tiedEmbeddings: true))
        #expect(throws: ModelError("config.json: bad model config: missing `dim`", kind: .io)) {
            try LlamaModelFile.parseConfig(#"{"n_layers": 1}"#, name: "config.json")
        }
        #expect(throws: ModelError("config.json: bad model config: `hidden_dim` must be a number or a list of 2 non-negative integers (one per layer)", kind: .io)) {
            try LlamaModelFile.parseConfig(#"{"dim": 8, "n_layers": 2, "hidden_dim": [1], "n_heads": 2, "vocab_size": 3, "seq_len": 4}"#, name: "config.json")
        }
        #expect(throws: ModelError("config.json: bad model config: `rope_style` must be \"interleaved\" or \"half\", got spiral", kind: .io)) {
            try LlamaModelFile.parseConfig(#"{"dim": 8, "n_layers": 1, "hidden_dim": 4, "n_heads": 2, "vocab_size": 3, "seq_len": 4, "rope_style": "spiral"}"#, name: "config.json")
        }
    }

    @Test func aMissingOrMisshapenTensorIsAnError() throws {
        var tensors = LlamaModelFile.tensors(tinyModel())
        let config = LlamaModelFile.configJSON(tinyModel().config)
        tensors.removeAll { $0.name == "layers.1.w2" }
        #expect(throws: ModelError("m.safetensors: missing tensor `layers.1.w2`", kind: .io)) {
            try LlamaModelFile.decode(Safetensors.File(tensors: tensors), configJSON: config, name: "m.safetensors")
        }
        tensors.append(("layers.1.w2", Tensor(shape: [8, 11], f32: Array(repeating: 0, count: 88))))
        #expect(throws: ModelError("m.safetensors: layers.1.w2: expected shape [8, 12], got [8, 11]", kind: .io)) {
            try LlamaModelFile.decode(Safetensors.File(tensors: tensors), configJSON: config, name: "m.safetensors")
        }
        #expect(throws: ModelError("m.safetensors: no model config: the safetensors metadata has no `config` and there is no config.json beside it", kind: .io)) {
            try LlamaModelFile.decode(Safetensors.File(tensors: tensors), configJSON: nil, name: "m.safetensors")
        }
    }

    @Test(.enabled(if: TestData.available, TestData.skipReason))
    func stories260KRoundTripsThroughSafetensors() throws {
        let weights = try TestData.stories()
        let back = try roundTrip(weights).weights
        #expect(back.config == weights.config)
        #expect(try LlamaForward.logits(back, tokens: [1, 403]) == LlamaForward.logits(weights, tokens: [1, 403]))
    }
}
