import Testing
import TensorModule
@testable import Pruning

@Suite struct ReconstructionErrorTests {
    let tokens = 200, inputs = 24

    /// ‖X(W−Ŵ)ᵀ‖²_F / ‖XWᵀ‖²_F straight from X, in f64.
    func direct(_ w: Tensor, _ pruned: Tensor, _ x: [Double]) -> Double {
        let a = w.doubles(), b = pruned.doubles(), rows = w.shape[0]
        var numerator = 0.0, denominator = 0.0
        for t in 0..<tokens {
            for r in 0..<rows {
                var y = 0.0, dy = 0.0
                for j in 0..<inputs {
                    y += x[t * inputs + j] * a[r * inputs + j]
                    dy += x[t * inputs + j] * (a[r * inputs + j] - b[r * inputs + j])
                }
                numerator += dy * dy
                denominator += y * y
            }
        }
        return numerator / denominator
    }

    @Test func equalsTheDirectOutputError() throws {
        let x = TestLayers.correlatedInputs(tokens: tokens, inputs: inputs, seed: 51)
        let w = TestLayers.weight(10, inputs, seed: 52)
        for target in [PruningTarget.sparsity(0.5), .sparsity(0.9), .nm(n: 2, m: 4)] {
            let pruned = try Magnitude.prune(w, target: target).weights
            let expected = direct(w, pruned, x)
            // G rounded to f32 (as `calibrate` returns it) is the only rounding beyond f64 sums:
            // ~6e-8 relative per entry, so 1e-5 leaves a wide margin.
            let gram = TestLayers.gram(x, tokens: tokens, inputs: inputs)
            let fromGram = try ReconstructionError.relative(w, pruned, gram: gram)
            #expect(Swift.abs(fromGram - expected) <= 1e-5 * expected, "\(target): \(fromGram) vs \(expected)")
            #expect(expected > 0.01)
        }
    }

    @Test func isZeroForAnUnchangedLayerAndOneForARemovedLayer() throws {
        let x = TestLayers.correlatedInputs(tokens: tokens, inputs: inputs, seed: 53)
        let gram = TestLayers.gram(x, tokens: tokens, inputs: inputs)
        let w = TestLayers.weight(6, inputs, seed: 54)
        #expect(try ReconstructionError.relative(w, w, gram: gram) == 0)
        #expect(try ReconstructionError.relative(w, Tensor.zeros(w.shape), gram: gram) == 1)
    }

    @Test func theScaleOfTheGramMatrixCancels() throws {
        let x = TestLayers.correlatedInputs(tokens: tokens, inputs: inputs, seed: 55)
        let gram = TestLayers.gram(x, tokens: tokens, inputs: inputs)
        let w = TestLayers.weight(6, inputs, seed: 56)
        let pruned = try Magnitude.prune(w, target: .sparsity(0.5)).weights
        let base = try ReconstructionError.relative(w, pruned, gram: gram)
        let scaled = Tensor(shape: gram.shape, f32: gram.floats().map { $0 * 8 })
        #expect(try ReconstructionError.relative(w, pruned, gram: scaled) == base)
        let third = Tensor(shape: gram.shape, f32: gram.floats().map { $0 / 3 })
        #expect(Swift.abs(try ReconstructionError.relative(w, pruned, gram: third) - base) <= 1e-6 * base)
    }

    @Test func zeroDenseOutputGivesZeroOrInfinity() throws {
        // G only sees input 0, which W does not use.
        let gram = TestLayers.matrix([[1, 0], [0, 0]])
        let w = TestLayers.matrix([[0, 1]])
        #expect(try ReconstructionError.relative(w, TestLayers.matrix([[1, 1]]), gram: gram) == .infinity)
        #expect(try ReconstructionError.relative(w, TestLayers.matrix([[0, 5]]), gram: gram) == 0)
        #expect(try ReconstructionError.relative(w, w, gram: Tensor.zeros([2, 2])) == 0)
    }

    @Test func shapesAreChecked() {
        let w = TestLayers.weight(2, 3, seed: 57)
        #expect(throws: PruningError("gram must be [3, 3] (XᵀX over the 3 inputs of w [2, 3]), got [2, 2]", kind: .shape)) {
            try ReconstructionError.relative(w, w, gram: Tensor.zeros([2, 2]))
        }
        #expect(throws: PruningError("w_pruned must have w's shape [2, 3], got [3, 3]", kind: .shape)) {
            try ReconstructionError.relative(w, Tensor.zeros([3, 3]), gram: Tensor.zeros([3, 3]))
        }
        #expect(throws: PruningError.self) {
            try ReconstructionError.relative(Tensor.zeros([3]), Tensor.zeros([3]), gram: Tensor.zeros([3, 3]))
        }
    }
}
