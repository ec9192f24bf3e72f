import Foundation
import Testing
import TensorModule
@testable import Models

@Suite struct LlamaWeightsRandomTests {
    /// stories260K's shape: 5 layers, GQA, tied.
    static let config = LlamaConfig(dim: 64, hiddenDim: 172, nLayers: 5, nHeads: 8, nKVHeads: 4, vocabSize: 512,
                                    seqLen: 128, tiedEmbeddings: true)

    /// Mean and standard deviation of a tensor's values.
    static func moments(_ t: Tensor) -> (mean: Double, std: Double) {
        let values = floats(t).map(Double.init)
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        return (mean, variance.squareRoot())
    }

    @Test func matricesAreNormalWithStd002AndResidualProjectionsScaled() throws {
        let w = try LlamaWeights.random(config: Self.config, seed: 0)
        // The standard error of a sample std over n values is about std/√(2n): under 1% here.
        let (mean, std) = Self.moments(w.tokenEmbedding)
        #expect(abs(mean) < 0.001 && abs(std - 0.02) < 0.0006, "embedding mean \(mean) std \(std)")
        let residual = 0.02 / (2.0 * 5).squareRoot()
        for layer in w.layers {
            for t in [layer.wq, layer.wk, layer.wv, layer.w1, layer.w3] {
                #expect(abs(Self.moments(t).std - 0.02) < 0.001)
            }
            for t in [layer.wo, layer.w2] {
                #expect(abs(Self.moments(t).std - residual) < 0.05 * residual, "\(Self.moments(t).std) vs \(residual)")
            }
            #expect(floats(layer.rmsAtt).allSatisfy { $0 == 1 } && floats(layer.rmsFFN).allSatisfy { $0 == 1 })
        }
        #expect(floats(w.rmsFinal).allSatisfy { $0 == 1 })
        #expect(w.classifier == nil)
        // A normal's fourth moment: the draws are Gaussian, not uniform (kurtosis 3 vs 1.8).
        let values = floats(w.tokenEmbedding).map { Double($0) / std }
        let kurtosis = values.reduce(0) { $0 + $1 * $1 * $1 * $1 } / Double(values.count)
        #expect(abs(kurtosis - 3) < 0.15, "kurtosis \(kurtosis)")
    }

    @Test func shapesFollowEveryBlockAndUntiedModelsGetAClassifier() throws {
        let blocks = [LlamaBlockShape(hiddenDim: 16, nHeads: 4, nKVHeads: 2), LlamaBlockShape(hiddenDim: 8, nHeads: 2, nKVHeads: 1)]
        let config = LlamaConfig(dim: 16, headSize: 4, blocks: blocks, vocabSize: 40, seqLen: 8, tiedEmbeddings: false)
        let w = try LlamaWeights.random(config: config, seed: 3)
        #expect(w.layers[0].wq.shape == [16, 16] && w.layers[0].wk.shape == [8, 16] && w.layers[0].w2.shape == [16, 16])
        #expect(w.layers[1].wq.shape == [8, 16] && w.layers[1].wo.shape == [16, 8] && w.layers[1].w1.shape == [8, 16])
        let classifier = try #require(w.classifier)
        #expect(classifier.shape == [40, 16])
        #expect(floats(classifier) != floats(w.tokenEmbedding))
        _ = try LlamaForward.logits(w, tokens: [1, 5, 9])
    }

    @Test func sameSeedSameWeightsOtherSeedOthers() throws {
        let a = try LlamaWeights.random(config: Self.config, seed: 42)
        let b = try LlamaWeights.random(config: Self.config, seed: 42)
        let c = try LlamaWeights.random(config: Self.config, seed: 43)
        for ((_, x), ((_, y), (_, z))) in zip(LlamaModelFile.tensors(a), zip(LlamaModelFile.tensors(b), LlamaModelFile.tensors(c))) {
            #expect(floats(x) == floats(y))
            if !floats(x).allSatisfy({ $0 == 1 }) { #expect(floats(x) != floats(z)) }
        }
        // The embedding takes the stream's first draw, scaled by 0.02.
        #expect(floats(a.tokenEmbedding)[0] == Float(0.02 * RandomStream.firstNormal(seed: 42)))
    }

    @Test func initialLossIsAboutLnVocab() throws {
        let w = try LlamaWeights.random(config: Self.config, seed: 1)
        var stream = RandomStream(seed: 9)
        let tokens = (0..<65).map { _ in Int32(stream.nextInt(below: 512)) }
        let (total, count) = try LlamaForward.nll(w, inputs: Array(tokens.dropLast()), targets: Array(tokens.dropFirst()))
        let mean = total / Double(count)
        #expect(abs(mean - log(512.0)) < 0.1, "initial loss \(mean) vs ln 512 = \(log(512.0))")
    }

    @Test func parameterCountMatchesTheTensorsAndOverflowsToNil() throws {
        for tied in [true, false] {
            var config = Self.config
            config.tiedEmbeddings = tied
            let w = try LlamaWeights.random(config: config, seed: 0)
            #expect(config.parameterCount == LlamaModelFile.tensors(w).reduce(0) { $0 + $1.tensor.count })
        }
        #expect(Self.config.parameterCount == 260_032, "stories260K's count")
        let huge = LlamaConfig(dim: 1 << 40, hiddenDim: 1 << 40, nLayers: 1, nHeads: 1, nKVHeads: 1, vocabSize: 1 << 40,
                               seqLen: 1, tiedEmbeddings: true)
        #expect(huge.parameterCount == nil)
    }

    @Test func anInvalidConfigIsAnError() {
        var config = Self.config
        config.headSize = 7
        #expect(throws: ModelError.self) { try LlamaWeights.random(config: config, seed: 0) }
    }
}

extension RandomStream {
    /// The first normal a stream seeded with `seed` draws.
    static func firstNormal(seed: UInt64) -> Double {
        var stream = RandomStream(seed: seed)
        return stream.nextNormal()
    }
}
