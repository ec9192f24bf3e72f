import Testing
import TensorModule
@testable import Pruning

/// algorithms.md §4's ordering on layers whose inputs look like an LLM's (correlated, with
/// outlier features): SparseGPT ≤ Wanda ≤ magnitude in reconstruction error, at 50% and 2:4,
/// on the calibration inputs and on held-out inputs from the same distribution.
@Suite struct MethodOrderingTests {
    @Test(arguments: [PruningTarget.sparsity(0.5), .nm(n: 2, m: 4)], [1.0, 4.0, 25.0])
    func sparseGPTBeatsWandaBeatsMagnitude(target: PruningTarget, outliers: Double) throws {
        let inputs = 64, samples = 8
        // One distribution (the same factor loadings): the first 1024 tokens calibrate, the
        // next 1024 are held out.
        let all = TestLayers.correlatedInputs(tokens: 2048, inputs: inputs, seed: 71, outlierScale: outliers)
        let x = Array(all[0..<(1024 * inputs)]), heldOut = Array(all[(1024 * inputs)...])
        let gram = TestLayers.gram(x, tokens: 1024, inputs: inputs)
        let heldOutGram = TestLayers.gram(heldOut, tokens: 1024, inputs: inputs)
        let actNorm = TestLayers.actNorm(x, tokens: 1024, inputs: inputs, samples: samples)
        for seed: UInt64 in [73, 74, 75] {
            let w = TestLayers.weight(48, inputs, seed: seed)
            let pruned = [
                try Magnitude.prune(w, target: target).weights,
                try Wanda.prune(w, actNorm: actNorm, target: target).weights,
                try SparseGPT.prune(weights: w, hessian: gram, pattern: target).weights,
            ]
            for g in [gram, heldOutGram] {
                let errors = try pruned.map { try ReconstructionError.relative(w, $0, gram: g) }
                #expect(errors[2] <= errors[1] && errors[1] <= errors[0],
                        "\(target), outliers ×\(outliers), seed \(seed): magnitude \(errors[0]), wanda \(errors[1]), sparsegpt \(errors[2])")
            }
        }
    }
}
