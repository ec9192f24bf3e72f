import Foundation
import Testing
import TensorModule
@testable import Models

@Suite struct LlamaCalibrationTests {
    let weights = tinyModel()
    let tokens: [Int32] = [1, 5, 3, 10, 0, 7, 7, 2, 9, 4, 6, 8, 3, 3, 5, 1, 2]

    @Test func attentionInputStatisticsOfBlockZeroAreTheNormalisedEmbeddings() throws {
        let sums = try LlamaCalibration.statistics(weights, tokens: tokens, windows: 2, seqlen: 8, gram: true)
        // Independently: X = rmsnorm(emb[token]) · rms_att, for the 16 tokens of the two windows.
        let d = weights.config.dim
        let emb = floats(weights.tokenEmbedding), w = floats(weights.layers[0].rmsAtt)
        var sumSquares = [Double](repeating: 0, count: d), gram = [Double](repeating: 0, count: d * d)
        for token in tokens.prefix(16) {
            let row = (0..<d).map { Double(emb[Int(token) * d + $0]) }
            let scale = 1 / (row.map { $0 * $0 }.reduce(0, +) / Double(d) + 1e-5).squareRoot()
            let x = (0..<d).map { row[$0] * scale * Double(w[$0]) }
            for i in 0..<d {
                sumSquares[i] += x[i] * x[i]
                for j in 0..<d { gram[i * d + j] += x[i] * x[j] }
            }
        }
        let s = sums[0][LinearInput.attention.rawValue]
        #expect(s.tokens == 16 && s.width == d)
        for i in 0..<d { #expect(abs(s.sumSquares[i] - sumSquares[i]) <= 1e-5 * max(1, sumSquares[i])) }
        let g = try #require(s.gram)
        for i in 0..<(d * d) { #expect(abs(g[i] - gram[i]) <= 1e-5 * max(1, abs(gram[i]))) }
    }

    @Test func gramIsSymmetricAndItsDiagonalIsTheSumOfSquares() throws {
        let sums = try LlamaCalibration.statistics(weights, tokens: tokens, windows: 2, seqlen: 8, gram: true)
        for block in sums {
            for s in block {
                let g = try #require(s.gram)
                for i in 0..<s.width {
                    #expect(abs(g[i * s.width + i] - s.sumSquares[i]) <= 1e-9 * max(1, s.sumSquares[i]))
                    for j in 0..<i { #expect(g[i * s.width + j] == g[j * s.width + i]) }
                }
            }
        }
        #expect(sums.map { $0.map(\.width) } == [[8, 8, 8, 12], [8, 8, 8, 12]])
    }

    @Test func sequentialBlockStatisticsEqualAWholeModelRun() throws {
        let whole = try LlamaCalibration.statistics(weights, tokens: tokens, windows: 2, seqlen: 8, gram: true)
        var hidden = try LlamaCalibration.embed(weights, tokens: tokens, windows: 2, seqlen: 8)
        #expect(hidden.shape == [2, 8, 8])
        for b in 0..<weights.config.nLayers {
            let block = try LlamaCalibration.statistics(weights, block: b, hidden: hidden, gram: true)
            for (a, c) in zip(block, whole[b]) {
                #expect(a.sumSquares == c.sumSquares)
                #expect(a.gram == c.gram)
            }
            hidden = try LlamaCalibration.blockForward(weights, block: b, hidden: hidden)
        }
    }

    @Test func blocksThenTheHeadGiveTheModelsLogits() throws {
        var hidden = try LlamaCalibration.embed(weights, tokens: tokens, windows: 1, seqlen: 8)
        for b in 0..<weights.config.nLayers { hidden = try LlamaCalibration.blockForward(weights, block: b, hidden: hidden) }
        let h = floats(hidden), norm = floats(weights.rmsFinal), cls = floats(weights.outputMatrix)
        let expected = floats(try LlamaForward.logits(weights, tokens: Array(tokens.prefix(8))))
        let d = weights.config.dim, v = weights.config.vocabSize
        for t in 0..<8 {
            let row = Array(h[(t * d)..<((t + 1) * d)])
            let scale = 1 / (row.map { $0 * $0 }.reduce(0, +) / Float(d) + 1e-5).squareRoot()
            for k in 0..<v {
                var z: Float = 0
                for j in 0..<d { z += cls[k * d + j] * norm[j] * scale * row[j] }
                #expect(abs(z - expected[t * v + k]) <= 1e-4 * max(1, abs(z)))
            }
        }
    }

    @Test func windowsAreCutFromTheStartAndErrorsSayWhatFits() throws {
        let c = weights.config
        #expect(try LlamaCalibration.windowCount(tokens: 17, samples: 128, seqlen: 8, config: c) == 2)
        #expect(try LlamaCalibration.windowCount(tokens: 17, samples: 1, seqlen: 8, config: c) == 1)
        #expect(throws: ModelError("tokens: 5 tokens hold no window of seqlen 8; give more tokens or a smaller seqlen")) {
            try LlamaCalibration.windowCount(tokens: 5, samples: 4, seqlen: 8, config: c)
        }
        #expect(throws: ModelError("seqlen: expected 1...16 (the model's seq_len), got 17")) {
            try LlamaCalibration.windowCount(tokens: 100, samples: 4, seqlen: 17, config: c)
        }
        #expect(throws: ModelError("hidden: expected shape [windows, seqlen ≤ 16, 8], got [2, 8]", kind: .shape)) {
            try LlamaCalibration.blockForward(weights, block: 0, hidden: Tensor(shape: [2, 8], f32: Array(repeating: 0, count: 16)))
        }
        #expect(throws: ModelError("block: expected 0..<2 (the model's blocks), got 2")) {
            try LlamaCalibration.blockForward(weights, block: 2, hidden: Tensor(shape: [1, 1, 8], f32: Array(repeating: 0, count: 8)))
        }
    }
}
