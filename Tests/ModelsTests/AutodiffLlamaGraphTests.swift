import Foundation
import Testing
import TensorModule
@testable import Models

/// The mean of `LlamaForward.nll` over the windows (rows) of `inputs`/`targets`.
private func inferenceMeanNLL(_ weights: LlamaWeights, _ inputs: [[Int32]], _ targets: [[Int32]]) throws -> Double {
    var total = 0.0, count = 0
    for (x, y) in zip(inputs, targets) {
        let r = try LlamaForward.nll(weights, inputs: x, targets: y)
        total += r.total
        count += r.count
    }
    return total / Double(count)
}

/// An i32 `[B, T]` tensor of token windows.
private func windows(_ rows: [[Int32]]) -> Tensor {
    Tensor(shape: [rows.count, rows[0].count], i32: rows.flatMap { $0 })
}

@Suite struct AutodiffLlamaGraphTests {
    static let inputs: [[Int32]] = [[1, 5, 3, 10, 0, 7], [2, 2, 9, 4, 6, 8], [10, 0, 1, 3, 3, 5]]
    static let targets: [[Int32]] = [[5, 3, 10, 0, 7, 7], [2, 9, 4, 6, 8, 1], [0, 1, 3, 3, 5, 9]]

    @Test(arguments: [(false, RopeStyle.interleaved), (true, .interleaved), (false, .half), (true, .half)])
    func everyParameterGradientMatchesFiniteDifferences(tied: Bool, style: RopeStyle) throws {
        let weights = tinyModel(seed: 3, nLayers: 1, tied: tied, ropeStyle: style)
        let named = LlamaModelFile.tensors(weights)
        let x = windows(Self.inputs), y = windows(Self.targets)
        // One input tensor at a time, so a wrong gradient is reported by name.
        for (i, (name, _)) in named.enumerated() {
            let error = try gradientError([named[i].tensor], alongGradient: true) { tape, v in
                var p = LlamaParameters(leavesOf: weights, on: tape, trainable: { _ in false })
                p[name] = v[0]
                return try LlamaGraph.loss(p, inputs: x, targets: y)
            }
            #expect(error < 1e-3, "\(name) (tied \(tied), \(style)): relative error \(error)")
        }
    }

    @Test(arguments: [(false, RopeStyle.interleaved), (true, .half)])
    func tapeLossEqualsTheInferenceNLL(tied: Bool, style: RopeStyle) throws {
        let weights = tinyModel(seed: 5, nLayers: 2, tied: tied, ropeStyle: style)
        let tape = Tape()
        let loss = try LlamaGraph.loss(LlamaParameters(leavesOf: weights, on: tape), inputs: windows(Self.inputs),
                                       targets: windows(Self.targets))
        let got = tape.value(loss).element(at: 0)
        let expected = try inferenceMeanNLL(weights, Self.inputs, Self.targets)
        #expect(Swift.abs(got - expected) / expected < 1e-5, "tape \(got), inference \(expected)")
    }

    /// Structurally pruned blocks: block 0 keeps 5 FFN neurons, block 1 has no heads and no FFN.
    @Test func prunedBlockWidthsMatchInferenceAndFiniteDifferences() throws {
        let blocks = [LlamaBlockShape(hiddenDim: 5, nHeads: 2, nKVHeads: 1), LlamaBlockShape(hiddenDim: 0, nHeads: 0, nKVHeads: 0)]
        let config = LlamaConfig(dim: 8, headSize: 4, blocks: blocks, vocabSize: 11, seqLen: 16, tiedEmbeddings: true)
        var seed: UInt64 = 200
        func t(_ shape: [Int], _ lo: Float = -0.5, _ hi: Float = 0.5) -> Tensor {
            seed += 1
            return uniform(shape, lo, hi, seed: seed)
        }
        let layers = blocks.map { b in
            let q = b.nHeads * 4, kv = b.nKVHeads * 4, h = b.hiddenDim
            return LlamaLayer(rmsAtt: t([8], 0.8, 1.2), wq: t([q, 8]), wk: t([kv, 8]), wv: t([kv, 8]), wo: t([8, q]),
                              rmsFFN: t([8], 0.8, 1.2), w1: t([h, 8]), w2: t([8, h]), w3: t([h, 8]))
        }
        let weights = LlamaWeights(config: config, tokenEmbedding: t([11, 8], -1, 1), layers: layers,
                                   rmsFinal: t([8], 0.8, 1.2), classifier: nil)
        let tape = Tape()
        let p = LlamaParameters(leavesOf: weights, on: tape)
        let loss = try LlamaGraph.loss(p, inputs: windows(Self.inputs), targets: windows(Self.targets))
        let expected = try inferenceMeanNLL(weights, Self.inputs, Self.targets)
        #expect(Swift.abs(tape.value(loss).element(at: 0) - expected) / expected < 1e-5)
        let grads = try p.gradients(of: loss)
        #expect(grads.layers[1].w1.shape == [0, 8])
        for name in ["token_embedding", "layers.0.wq", "layers.0.w2", "layers.1.rms_att"] {
            let original = try #require(LlamaModelFile.tensors(weights).first { $0.name == name }).tensor
            let error = try gradientError([original], alongGradient: true) { tape, v in
                var p = LlamaParameters(leavesOf: weights, on: tape, trainable: { _ in false })
                p[name] = v[0]
                return try LlamaGraph.loss(p, inputs: windows(Self.inputs), targets: windows(Self.targets))
            }
            #expect(error < 1e-3, "\(name): relative error \(error)")
        }
    }

    @Test func gradientsComeBackAsAModelAndByName() throws {
        let weights = tinyModel(seed: 6, nLayers: 2)
        let tape = Tape()
        let p = LlamaParameters(leavesOf: weights, on: tape, trainable: { !$0.hasPrefix("layers.0.") })
        let loss = try LlamaGraph.loss(p, inputs: windows(Self.inputs), targets: windows(Self.targets))
        let grads = try p.gradients(of: loss)
        let byName = try p.gradientsByName(of: loss)
        for (name, tensor) in LlamaModelFile.tensors(grads) {
            let original = try #require(p[name].map { tape.shape($0) })
            #expect(tensor.shape == original, "\(name)")
            #expect(byName[name] == tensor, "\(name)")
            // Frozen tensors get zeros; trainable ones a real gradient.
            let zero = floats(tensor).allSatisfy { $0 == 0 }
            #expect(zero == name.hasPrefix("layers.0."), "\(name)")
        }
    }

    @Test func computedWeightsCanStandForParameters() throws {
        // MaskLLM's path: a weight fed as W ⊙ mask, the gradient taken w.r.t. the mask.
        let weights = tinyModel(seed: 8, nLayers: 1)
        let mask = uniform([12, 8], 0, 1, seed: 81)
        let error = try gradientError([mask], alongGradient: true) { tape, v in
            var p = LlamaParameters(leavesOf: weights, on: tape, trainable: { _ in false })
            p["layers.0.w1"] = try tape.multiply(try #require(p["layers.0.w1"]), v[0])
            return try LlamaGraph.loss(p, inputs: windows(Self.inputs), targets: windows(Self.targets))
        }
        #expect(error < 1e-3, "relative error \(error)")
    }

    /// algorithms.md §6 end to end on w1 (`[12, 8]`, 2:4 groups): m = softmax((κ·gate + g)/τ) ·
    /// candidates, the loss on W ⊙ m, the gradient taken w.r.t. the gates.
    @Test func maskLLMSoftMaskPathMatchesFiniteDifferences() throws {
        let weights = tinyModel(seed: 10, nLayers: 1)
        let patterns: [[Float]] = [[1, 1, 0, 0], [1, 0, 1, 0], [1, 0, 0, 1], [0, 1, 1, 0], [0, 1, 0, 1], [0, 0, 1, 1]]
        let candidates = Tensor(shape: [6, 4], f32: patterns.flatMap { $0 })
        let gates = uniform([12, 2, 6], -0.01, 0.01, seed: 91), noise = uniform([12, 2, 6], -1, 1, seed: 92)
        let (kappa, tau) = (100.0, 4.0)
        let error = try gradientError([gates], step: 1e-3, alongGradient: true) { tape, v in
            let logits = try tape.add(tape.multiply(v[0], kappa), tape.leaf(noise, requiresGradient: false))
            let y = try tape.softmax(logits, scale: Float(1 / tau))
            let mask = try tape.reshape(try tape.matmul(y, tape.leaf(candidates, requiresGradient: false)), [12, 8])
            var p = LlamaParameters(leavesOf: weights, on: tape, trainable: { _ in false })
            p["layers.0.w1"] = try tape.multiply(try #require(p["layers.0.w1"]), mask)
            return try LlamaGraph.loss(p, inputs: windows(Self.inputs), targets: windows(Self.targets))
        }
        #expect(error < 1e-3, "relative error \(error)")
    }

    @Test func badParametersAndTokensThrow() throws {
        let weights = tinyModel(nLayers: 1)
        let tape = Tape()
        var p = LlamaParameters(leavesOf: weights, on: tape)
        let x = windows(Self.inputs), y = windows(Self.targets)
        #expect(throws: ModelError("targets: expected shape [3, 6] (one per input), got [6]", kind: .shape)) {
            try LlamaGraph.loss(p, inputs: x, targets: Tensor(shape: [6], i32: Self.targets[0]))
        }
        #expect(throws: ModelError.self) { try LlamaGraph.loss(p, inputs: Tensor(shape: [1], i32: [11]), targets: Tensor(shape: [1], i32: [0])) }
        p["layers.0.wq"] = tape.leaf(Tensor.zeros([8, 7]))
        #expect(throws: ModelError("parameters: `layers.0.wq` expected shape [8, 8], got [8, 7]", kind: .shape)) {
            try LlamaGraph.loss(p, inputs: x, targets: y)
        }
        p["layers.0.wq"] = nil
        #expect(throws: ModelError("parameters: missing tensor `layers.0.wq`", kind: .shape)) { try LlamaGraph.loss(p, inputs: x, targets: y) }
    }

    /// stories260K on windows of the validation stream: the tape loss is the inference NLL mean.
    @Test(.enabled(if: TestData.available, TestData.skipReason))
    func stories260KTapeLossEqualsTheInferenceNLL() throws {
        let weights = try TestData.stories()
        let tokenizer = try Tokenizer.load(try #require(TestData.bytes("tok512.bin")), name: "tok512.bin", vocabSize: 512)
        let text = String(decoding: try #require(TestData.bytes("tinystories_val.txt")), as: UTF8.self)
        let stream = TestData.validationStream(tokenizer, String(text.prefix(20_000)))
        let (b, t) = (4, 128)
        try #require(stream.count > b * t)
        let inputs = (0..<b).map { Array(stream[($0 * t)..<($0 * t + t)]) }
        let targets = (0..<b).map { Array(stream[($0 * t + 1)..<($0 * t + t + 1)]) }
        let tape = Tape()
        let p = LlamaParameters(leavesOf: weights, on: tape)
        let loss = try LlamaGraph.loss(p, inputs: windows(inputs), targets: windows(targets))
        let got = tape.value(loss).element(at: 0)
        let expected = try inferenceMeanNLL(weights, inputs, targets)
        #expect(Swift.abs(got - expected) / expected < 1e-5, "tape \(got), inference \(expected)")
        let grads = try p.gradientsByName(of: loss)
        #expect(grads.count == LlamaModelFile.tensors(weights).count)
        #expect(grads.values.allSatisfy { floats($0).allSatisfy(\.isFinite) })
    }
}
