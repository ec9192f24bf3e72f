import Testing
import TensorModule
@testable import Pruning

@Suite struct WandaTests {
    @Test func anOutlierInputOutranksLargerWeights() throws {
        // S = [10, 2, 3, 4] and [40, 3, 2, 1]: magnitude would keep 3 and 4 in row 0.
        let w = TestLayers.matrix([[1, 2, 3, 4], [4, 3, 2, 1]])
        let a = Tensor(shape: [4], f32: [10, 1, 1, 1])
        let r = try Wanda.prune(w, actNorm: a, target: .sparsity(0.5))
        #expect(r.mask == TestLayers.mask([[1, 0, 0, 1], [1, 1, 0, 0]]))
        #expect(r.weights == TestLayers.matrix([[1, 0, 0, 4], [4, 3, 0, 0]]))
        let nm = try Wanda.prune(w, actNorm: a, target: .nm(n: 1, m: 2))
        #expect(nm.weights == TestLayers.matrix([[1, 0, 0, 4], [4, 0, 2, 0]]))
    }

    @Test func scoresAreMagnitudeTimesActivationNormInF64() throws {
        let s = try Wanda.scores(TestLayers.matrix([[-1, 2], [0.1, -3]]), actNorm: Tensor(shape: [2], f32: [0.3, 2]))
        let a = Double(Float(0.3)), b = Double(Float(0.1))
        #expect(s.values == [a, 4, b * a, 6])
    }

    @Test func tiesKeepTheLowerIndex() throws {
        // Equal products 2·1 = 1·2 = 2 in columns 1 and 2, with one to remove.
        let w = TestLayers.matrix([[1, 2, 1, 4]]), a = Tensor(shape: [4], f32: [1, 1, 2, 1])
        #expect(try Wanda.prune(w, actNorm: a, target: .sparsity(0.5)).mask == TestLayers.mask([[0, 1, 0, 1]]))
        #expect(try Wanda.prune(w, actNorm: a, target: .nm(n: 1, m: 2)).mask == TestLayers.mask([[0, 1, 0, 1]]))
        #expect(try Wanda.prune(TestLayers.matrix([[3, 3, 3, 3]]), actNorm: Tensor(shape: [4], f32: [1, 1, 1, 1]),
                                target: .sparsity(0.75)).mask == TestLayers.mask([[1, 0, 0, 0]]))
    }

    @Test(arguments: [0.3, 0.5, 0.57])
    func exactCountPerRow(_ s: Double) throws {
        let w = TestLayers.weight(20, 96, seed: 31)
        let a = Tensor(shape: [96], f32: (0..<96).map { Float(1 + $0 % 7) })
        let removed = Int((s * 96 + 1e-9).rounded(.down))
        let mask = try Wanda.prune(w, actNorm: a, target: .sparsity(s)).mask
        #expect(TestLayers.keptPerRow(mask) == Array(repeating: 96 - removed, count: 20))
    }

    @Test func constantActivationNormGivesMagnitudesMask() throws {
        let w = TestLayers.weight(16, 64, seed: 32)
        let a = Tensor(shape: [64], f32: Array(repeating: 0.37, count: 64))
        for target in [PruningTarget.sparsity(0.5), .sparsity(0.2), .nm(n: 2, m: 4), .nm(n: 1, m: 4)] {
            #expect(try Wanda.prune(w, actNorm: a, target: target) == Magnitude.prune(w, target: target))
        }
    }

    @Test func invariantToScalingTheActivationNorm() throws {
        let w = TestLayers.weight(16, 64, seed: 33)
        var rng = RandomStream(seed: 34)
        let a = (0..<64).map { _ in Float(rng.nextDouble() * 3) }
        for c: Float in [4, 0.001, 123.25] {
            let scaled = Tensor(shape: [64], f32: a.map { $0 * c })
            for target in [PruningTarget.sparsity(0.5), .nm(n: 2, m: 4)] {
                #expect(try Wanda.prune(w, actNorm: Tensor(shape: [64], f32: a), target: target).mask
                        == Wanda.prune(w, actNorm: scaled, target: target).mask)
            }
        }
    }

    /// Wanda's reason to exist: with outlier-heavy, correlated inputs it moves the layer's
    /// output less than magnitude pruning (algorithms.md §3).
    @Test func reconstructionErrorBeatsMagnitude() throws {
        let tokens = 512, inputs = 64, samples = 4
        let x = TestLayers.correlatedInputs(tokens: tokens, inputs: inputs, seed: 35)
        let gram = TestLayers.gram(x, tokens: tokens, inputs: inputs)
        let a = TestLayers.actNorm(x, tokens: tokens, inputs: inputs, samples: samples)
        let w = TestLayers.weight(48, inputs, seed: 36)
        for target in [PruningTarget.sparsity(0.5), .nm(n: 2, m: 4)] {
            let wanda = try ReconstructionError.relative(w, Wanda.prune(w, actNorm: a, target: target).weights, gram: gram)
            let magnitude = try ReconstructionError.relative(w, Magnitude.prune(w, target: target).weights, gram: gram)
            #expect(wanda <= magnitude, "\(target): wanda \(wanda), magnitude \(magnitude)")
            #expect(wanda < 0.8 * magnitude, "\(target): the gain should be large on these inputs")
        }
    }

    @Test func activationNormMustHaveOneEntryPerInput() {
        let w = TestLayers.weight(4, 8, seed: 37)
        #expect(throws: PruningError("act_norm must have shape [8] (one norm per input of w [4, 8]), got [4]", kind: .shape)) {
            try Wanda.prune(w, actNorm: Tensor(shape: [4], f32: [1, 1, 1, 1]), target: .sparsity(0.5))
        }
        #expect(throws: PruningError.self) {
            try Wanda.prune(w, actNorm: Tensor.ones([1, 8]), target: .sparsity(0.5))
        }
        #expect(throws: PruningError("act_norm holds norms and must be finite and non-negative, got -1 at flat index 2")) {
            try Wanda.scores(w, actNorm: Tensor(shape: [8], f32: [1, 1, -1, 1, 1, 1, 1, 1]))
        }
    }

    @Test func nmMustDivideTheInputs() {
        let w = TestLayers.weight(4, 172, seed: 38)
        #expect(throws: PruningError("nm: [4, 8] does not fit a layer with 172 inputs (shape [4, 172]: 172 is not a "
                                     + "multiple of 8); patterns that fit: 1:2, 2:4", kind: .shape)) {
            try Wanda.prune(w, actNorm: Tensor.ones([172]), target: .nm(n: 4, m: 8))
        }
    }

    /// NumPy's masks for a 64×128 layer with many ties at the cut (Fixtures/make_fixtures.py).
    @Test func masksEqualNumPysReference() throws {
        let w = try NpyFixture.load("wanda_weight"), a = try NpyFixture.load("wanda_act_norm")
        #expect(w.shape == [64, 128] && a.shape == [128])
        #expect(try Wanda.prune(w, actNorm: a, target: .sparsity(0.5)).mask == NpyFixture.load("wanda_mask_s50"))
        #expect(try Wanda.prune(w, actNorm: a, target: .nm(n: 2, m: 4)).mask == NpyFixture.load("wanda_mask_nm24"))
    }
}
