import Testing
import TensorModule
@testable import Pruning

@Suite struct GBLMTests {
    @Test func gradientTermCanRescueAWeight() throws {
        // S = |w|·(1 + 100·g) = [1, 12, 3, 4]: the gradient keeps column 1 over column 2.
        let w = TestLayers.matrix([[1, 2, 3, 4]]), g = TestLayers.matrix([[0, 0.05, 0, 0]])
        let a = Tensor.ones([4])
        let r = try GBLM.prune(w, gradNorm: g, actNorm: a, target: .sparsity(0.5))
        #expect(r.mask == TestLayers.mask([[0, 1, 0, 1]]))
        #expect(r.weights == TestLayers.matrix([[0, 2, 0, 4]]))
        #expect(try GBLM.prune(w, gradNorm: g, actNorm: a, alpha: 0, target: .sparsity(0.5)).mask
                == TestLayers.mask([[0, 0, 1, 1]]))
    }

    @Test func scoresFollowThePaper() throws {
        let s = try GBLM.scores(TestLayers.matrix([[-2, 1]]), gradNorm: TestLayers.matrix([[0.5, 0.25]]),
                                actNorm: Tensor(shape: [2], f32: [3, 4]), alpha: 2)
        let expected: [Double] = [2 * 3 + 2 * 2 * 0.5, 1 * 4 + 2 * 1 * 0.25]
        #expect(s.values == expected)
        #expect(GBLM.defaultAlpha == 100)
    }

    func layer(seed: UInt64) -> (w: Tensor, g: Tensor, a: Tensor) {
        var rng = RandomStream(seed: seed)
        let w = TestLayers.weight(16, 64, seed: seed)
        let g = Tensor(shape: [16, 64], f32: (0..<1024).map { _ in Float(rng.nextDouble() * 0.02) })
        let a = Tensor(shape: [64], f32: (0..<64).map { _ in Float(0.5 + rng.nextDouble() * 3) })
        return (w, g, a)
    }

    @Test func alphaZeroOrZeroGradientsIsWandaExactly() throws {
        let (w, g, a) = layer(seed: 41)
        #expect(try GBLM.scores(w, gradNorm: g, actNorm: a, alpha: 0) == Wanda.scores(w, actNorm: a))
        #expect(try GBLM.scores(w, gradNorm: Tensor.zeros([16, 64]), actNorm: a) == Wanda.scores(w, actNorm: a))
        for target in [PruningTarget.sparsity(0.5), .sparsity(0.3), .nm(n: 2, m: 4)] {
            let wanda = try Wanda.prune(w, actNorm: a, target: target)
            #expect(try GBLM.prune(w, gradNorm: g, actNorm: a, alpha: 0, target: target) == wanda)
            #expect(try GBLM.prune(w, gradNorm: Tensor.zeros([16, 64]), actNorm: a, target: target) == wanda)
        }
        // The gradients do change the mask at the default alpha (else the test above is empty).
        #expect(try GBLM.prune(w, gradNorm: g, actNorm: a, target: .sparsity(0.5)).mask
                != Wanda.prune(w, actNorm: a, target: .sparsity(0.5)).mask)
    }

    @Test func invariantToScalingActivationNormAndGradientTermTogether() throws {
        let (w, g, a) = layer(seed: 42)
        for c in [4.0, 0.125, 3.0] {
            let scaledA = Tensor(shape: [64], f32: a.floats().map { $0 * Float(c) })
            for target in [PruningTarget.sparsity(0.5), .nm(n: 2, m: 4)] {
                let base = try GBLM.prune(w, gradNorm: g, actNorm: a, alpha: 100, target: target)
                // α·grad_norm scaled by c through α …
                #expect(try GBLM.prune(w, gradNorm: g, actNorm: scaledA, alpha: 100 * c, target: target).mask == base.mask)
                // … and through grad_norm.
                let scaledG = Tensor(shape: [16, 64], f32: g.floats().map { $0 * Float(c) })
                #expect(try GBLM.prune(w, gradNorm: scaledG, actNorm: scaledA, alpha: 100, target: target).mask == base.mask)
            }
        }
    }

    @Test(arguments: [0.25, 0.5])
    func exactCountPerRow(_ s: Double) throws {
        let (w, g, a) = layer(seed: 43)
        let mask = try GBLM.prune(w, gradNorm: g, actNorm: a, target: .sparsity(s)).mask
        #expect(TestLayers.keptPerRow(mask) == Array(repeating: 64 - Int(s * 64), count: 16))
    }

    @Test func shapesAndAlphaAreChecked() {
        let (w, g, a) = layer(seed: 44)
        #expect(throws: PruningError("grad_norm must have shape [16, 64] (one gradient norm per weight, like w), got [64]", kind: .shape)) {
            try GBLM.prune(w, gradNorm: a, actNorm: a, target: .sparsity(0.5))
        }
        #expect(throws: PruningError("act_norm must have shape [64] (one norm per input of w [16, 64]), got [16, 64]", kind: .shape)) {
            try GBLM.prune(w, gradNorm: g, actNorm: g, target: .sparsity(0.5))
        }
        #expect(throws: PruningError("alpha must be a finite number ≥ 0, got -1")) {
            try GBLM.prune(w, gradNorm: g, actNorm: a, alpha: -1, target: .sparsity(0.5))
        }
        #expect(throws: PruningError.self) {
            try GBLM.prune(w, gradNorm: g, actNorm: a, alpha: .infinity, target: .sparsity(0.5))
        }
    }
}
