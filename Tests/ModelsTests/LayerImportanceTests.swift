import Testing
import TensorModule
@testable import Models

/// Adapt-Pruner's layer importance (algorithms.md §8).
struct LayerImportanceTests {
    @Test func meanCosineMatchesAHandComputation() {
        // Rows: cos([1, 0], [1, 0]) = 1, cos([1, 1], [−1, −1]) = −1, cos([3, 4], [4, 3]) = 24/25.
        let a = Tensor(shape: [3, 2], f32: [1, 0, 1, 1, 3, 4])
        let b = Tensor(shape: [3, 2], f32: [1, 0, -1, -1, 4, 3])
        #expect(abs(LayerImportance.meanCosine(a, b, dim: 2) - (1 - 1 + 0.96) / 3) < 1e-12)
        // A zero row: the 1e-8 floor keeps it finite (cos 0).
        #expect(LayerImportance.meanCosine(Tensor(shape: [1, 2], f32: [0, 0]), Tensor(shape: [1, 2], f32: [1, 1]), dim: 2) == 0)
    }

    @Test func aBlockThatChangesNothingHasImportanceMinusOne() throws {
        var model = tinyModel(nLayers: 2)
        // Zero output projections: block 1 adds nothing to the residual stream.
        model.layers[1].wo = Tensor(shape: model.layers[1].wo.shape, f32: [Float](repeating: 0, count: model.layers[1].wo.count))
        model.layers[1].w2 = Tensor(shape: model.layers[1].w2.shape, f32: [Float](repeating: 0, count: model.layers[1].w2.count))
        let tokens: [Int32] = (0..<32).map { Int32($0 % 11) }
        let importances = try LayerImportance.compute(model, tokens: tokens, windows: 2, seqlen: 16)
        #expect(importances.count == 2)
        #expect(abs(importances[1] + 1) < 1e-6)
        #expect(importances[0] > -1 + 1e-3)
    }

    @Test func importanceIsTheMeanOverWindowsOfEachBlocksCosine() throws {
        let model = tinyModel(nLayers: 2)
        let tokens: [Int32] = (0..<48).map { Int32(($0 * 7) % 11) }
        let all = try LayerImportance.compute(model, tokens: tokens, windows: 3, seqlen: 16)
        // Windows are independent and equally long: the mean over three is the mean of the three.
        let single = try (0..<3).map { w in
            try LayerImportance.compute(model, tokens: Array(tokens[(w * 16)..<((w + 1) * 16)]), windows: 1, seqlen: 16)
        }
        for block in 0..<2 {
            let mean = single.map { $0[block] }.reduce(0, +) / 3
            #expect(abs(all[block] - mean) < 1e-9)
        }
    }
}
