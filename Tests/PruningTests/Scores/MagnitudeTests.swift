import Testing
import TensorModule
@testable import Pruning

@Suite struct MagnitudeTests {
    let w = TestLayers.matrix([[5, -2, 0.1, 3], [1, -1, 4, 0.2]])

    @Test func removesTheSmallestMagnitudesOfEachRow() throws {
        // Row 0 keeps 5 and 3; row 1 keeps 4 and the first of the two |1|s.
        let r = try Magnitude.prune(w, target: .sparsity(0.5))
        #expect(r.mask == TestLayers.mask([[1, 0, 0, 1], [1, 0, 1, 0]]))
        #expect(r.weights == TestLayers.matrix([[5, 0, 0, 3], [1, 0, 4, 0]]))
        #expect(r.weights.dtype == .f32)
    }

    @Test func layerScopeRemovesOverTheWholeMatrix() throws {
        // The four smallest of all eight are 0.1, 0.2 and both |1|s.
        let r = try Magnitude.prune(w, target: .sparsity(0.5), scope: .layer)
        #expect(r.mask == TestLayers.mask([[1, 1, 0, 1], [0, 0, 1, 0]]))
        #expect(r.weights == TestLayers.matrix([[5, -2, 0, 3], [0, 0, 4, 0]]))
    }

    @Test func nmKeepsTheLargestMagnitudesOfEachGroup() throws {
        let r = try Magnitude.prune(w, target: .nm(n: 1, m: 2))
        #expect(r.mask == TestLayers.mask([[1, 0, 0, 1], [1, 0, 1, 0]]))
    }

    @Test func scoresAreAbsoluteValuesInF64() throws {
        let s = try Magnitude.scores(w)
        #expect(s.shape == [2, 4])
        #expect(s.values == [5, 2, Double(Float(0.1)), 3, 1, 1, 4, Double(Float(0.2))])
    }

    @Test(arguments: [0.1, 0.5, 0.57, 0.9])
    func equalsMaskTopKOfAbsoluteValues(_ s: Double) throws {
        let w = TestLayers.weight(16, 100, seed: 21)
        let abs = Tensor(shape: w.shape, f32: w.floats().map(Swift.abs))
        #expect(try Magnitude.prune(w, target: .sparsity(s)).mask == abs.maskTopK(keep: 1 - s, axis: 1))
        #expect(try Magnitude.prune(w, target: .sparsity(s), scope: .layer).mask == abs.maskTopK(keep: 1 - s, axis: nil))
        let removed = Int((s * 100 + 1e-9).rounded(.down))
        #expect(TestLayers.keptPerRow(try Magnitude.prune(w, target: .sparsity(s)).mask) == Array(repeating: 100 - removed, count: 16))
    }

    @Test(arguments: [(1, 2), (2, 4), (4, 8)])
    func equalsMaskNMOfAbsoluteValues(_ pattern: (Int, Int)) throws {
        let w = TestLayers.weight(16, 64, seed: 22)
        let abs = Tensor(shape: w.shape, f32: w.floats().map(Swift.abs))
        #expect(try Magnitude.prune(w, target: .nm(n: pattern.0, m: pattern.1)).mask
                == abs.maskNM(n: pattern.0, m: pattern.1, axis: 1))
    }

    @Test func removedWeightsAreZeroAndKeptOnesUnchanged() throws {
        let w = TestLayers.weight(8, 32, seed: 23)
        let r = try Magnitude.prune(w, target: .sparsity(0.6))
        let before = w.floats(), after = r.weights.floats(), keep = TestLayers.bools(r.mask)
        for i in before.indices {
            #expect(after[i] == (keep[i] ? before[i] : 0))
            if !keep[i] { #expect(after[i].sign == .plus) }
        }
    }

    @Test func invariantToScalingTheWeight() throws {
        let w = TestLayers.weight(8, 32, seed: 24)
        let scaled = Tensor(shape: w.shape, f32: w.floats().map { -3.5 * $0 })
        #expect(try Magnitude.prune(w, target: .sparsity(0.5)).mask == Magnitude.prune(scaled, target: .sparsity(0.5)).mask)
        #expect(try Magnitude.prune(w, target: .nm(n: 2, m: 4)).mask == Magnitude.prune(scaled, target: .nm(n: 2, m: 4)).mask)
    }

    @Test func weightMustBeAMatrix() {
        #expect(throws: PruningError("w must be a 2-d weight [out, in], got shape [4]", kind: .shape)) {
            try Magnitude.prune(Tensor(shape: [4], f32: [1, 2, 3, 4]), target: .sparsity(0.5))
        }
    }
}
