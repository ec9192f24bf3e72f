import Testing
import TensorModule
@testable import Pruning

// SparseGPT (algorithms.md §4): counts, dead inputs, blocksize invariance of N:M, agreement
// with a slow textbook OBS sweep and with the NumPy/SciPy reference, the OBS loss identity,
// reconstruction against magnitude pruning, damping retries and argument errors.

@Suite struct SparseGPTTests {
    // MARK: Counts and structure

    @Test func unstructuredRemovesTheExactCountOfEveryBlock() throws {
        let layer = CorrelatedLayer(rows: 12, columns: 80, samples: 200, seed: 1)
        for s in [0.5, 0.3, 0.57] {
            let result = try SparseGPT.prune(weights: layer.w, rows: 12, columns: 80, hessian: layer.gram,
                                             pattern: .sparsity(s), blocksize: 32)
            // Blocks [0, 32), [32, 64), [64, 80): each loses ⌊s·12·width + 1e-9⌋ jointly.
            for (a, b) in [(0, 32), (32, 64), (64, 80)] {
                var pruned = 0
                for r in 0..<12 { for c in a..<b where !result.mask[r * 80 + c] { pruned += 1 } }
                #expect(pruned == Int((s * Double(12 * (b - a)) + 1e-9).rounded(.down)), "s = \(s), block [\(a), \(b))")
            }
            for i in 0..<result.mask.count where !result.mask[i] { #expect(result.weights[i] == 0) }
        }
    }

    @Test func unstructuredRowsDifferInSparsity() throws {
        let layer = CorrelatedLayer(rows: 16, columns: 64, samples: 200, seed: 2, rowScales: true)
        let result = try SparseGPT.prune(weights: layer.w, rows: 16, columns: 64, hessian: layer.gram, pattern: .sparsity(0.5))
        let perRow = (0..<16).map { r in (0..<64).filter { !result.mask[r * 64 + $0] }.count }
        #expect(perRow.reduce(0, +) == 512)
        #expect(Set(perRow).count > 1, "the selection is joint over the block, so rows differ: \(perRow)")
    }

    @Test func nmKeepsExactlyNOfEveryGroup() throws {
        let layer = CorrelatedLayer(rows: 10, columns: 48, samples: 150, seed: 3)
        for (n, m) in [(2, 4), (1, 2), (4, 8), (3, 8), (7, 24)] {
            let result = try SparseGPT.prune(weights: layer.w, rows: 10, columns: 48, hessian: layer.gram,
                                             pattern: .nm(n: n, m: m), blocksize: m > 16 ? m : 16)
            for r in 0..<10 {
                for g in stride(from: 0, to: 48, by: m) {
                    let kept = (g..<(g + m)).filter { result.mask[r * 48 + $0] }.count
                    #expect(kept == n, "\(n):\(m) row \(r) group \(g)")
                }
            }
            for i in 0..<result.mask.count where !result.mask[i] { #expect(result.weights[i] == 0) }
        }
    }

    @Test func deadInputsEndUpZero() throws {
        var layer = CorrelatedLayer(rows: 8, columns: 16, samples: 64, seed: 4)
        layer.killInputs([2, 9, 15])
        for pattern in [SparseGPT.Pattern.sparsity(0.5), .nm(n: 2, m: 4), .sparsity(0)] {
            let result = try SparseGPT.prune(weights: layer.w, rows: 8, columns: 16, hessian: layer.gram,
                                             pattern: pattern, blocksize: 8)
            for r in 0..<8 { for j in [2, 9, 15] { #expect(result.weights[r * 16 + j] == 0, "\(pattern)") } }
            #expect(result.weights.allSatisfy { $0.isFinite })
        }
    }

    @Test func zeroSparsityKeepsEverything() throws {
        let layer = CorrelatedLayer(rows: 6, columns: 20, samples: 60, seed: 5)
        let result = try SparseGPT.prune(weights: layer.w, rows: 6, columns: 20, hessian: layer.gram, pattern: .sparsity(0))
        #expect(result.mask.allSatisfy { $0 })
        #expect(result.weights == layer.w)
    }

    @Test func tiesRemoveTheHigherIndexFirst() throws {
        // W all ones and H = I: every score is equal and nothing is compensated.
        let w = [Double](repeating: 1, count: 8)
        var h = [Double](repeating: 0, count: 16)
        for i in 0..<4 { h[i * 4 + i] = 1 }
        let unstructured = try SparseGPT.prune(weights: w, rows: 2, columns: 4, hessian: h, pattern: .sparsity(0.5), blocksize: 4)
        #expect(unstructured.mask == [true, true, true, true, false, false, false, false])
        let nm = try SparseGPT.prune(weights: w, rows: 2, columns: 4, hessian: h, pattern: .nm(n: 2, m: 4))
        #expect(nm.mask == [true, true, false, false, true, true, false, false])
        #expect(nm.weights == [1, 1, 0, 0, 1, 1, 0, 0])
    }

    // MARK: Invariance and references

    @Test func nmResultDoesNotDependOnTheBlocksize() throws {
        let layer = CorrelatedLayer(rows: 24, columns: 64, samples: 256, seed: 6)
        let reference = try SparseGPT.prune(weights: layer.w, rows: 24, columns: 64, hessian: layer.gram,
                                            pattern: .nm(n: 2, m: 4), blocksize: 64)
        for blocksize in [4, 128, 8, 12] {
            let result = try SparseGPT.prune(weights: layer.w, rows: 24, columns: 64, hessian: layer.gram,
                                             pattern: .nm(n: 2, m: 4), blocksize: blocksize)
            #expect(result.mask == reference.mask, "blocksize \(blocksize)")
            #expect(maxRelativeDifference(result.weights, reference.weights) <= 1e-9, "blocksize \(blocksize)")
        }
    }

    @Test func resultsDoNotDependOnTheNumberOfLanes() throws {
        // 128 rows × blocks of 128: large enough for the rows to be shared between lanes. The
        // weights are compared to 1e-12, not bit for bit: other tests running meanwhile hold
        // OpenBLAS to one thread (`concurrentWindows`), and its GEMM rounds differently then.
        let layer = CorrelatedLayer(rows: 128, columns: 256, samples: 300, seed: 13)
        for pattern in [SparseGPT.Pattern.sparsity(0.5), .nm(n: 2, m: 4)] {
            let results = try [1, 2, 3, 7].map { lanes in
                try SparseGPT.pruneWithLosses(weights: layer.w, rows: 128, columns: 256, hessian: layer.gram, pattern: pattern,
                                              blocksize: 128, damp: 0.01, lanes: lanes, warn: { _ in })
            }
            for result in results.dropFirst() {
                #expect(result.mask == results[0].mask, "\(pattern)")
                #expect(maxRelativeDifference(result.weights, results[0].weights) <= 1e-12, "\(pattern)")
            }
        }
    }

    @Test func equalsATextbookOBSSweep() throws {
        let layer = CorrelatedLayer(rows: 8, columns: 16, samples: 40, seed: 7)
        let cases: [(SparseGPT.Pattern, Int)] = [(.sparsity(0.5), 16), (.sparsity(0.5), 4), (.sparsity(0.3), 6),
                                                 (.nm(n: 2, m: 4), 8), (.nm(n: 1, m: 4), 16)]
        for (pattern, blocksize) in cases {
            let fast = try SparseGPT.prune(weights: layer.w, rows: 8, columns: 16, hessian: layer.gram,
                                           pattern: pattern, blocksize: blocksize)
            let slow = textbookOBS(layer.w, rows: 8, columns: 16, hessian: layer.gram, pattern: pattern,
                                   blocksize: blocksize, damp: 0.01)
            #expect(fast.mask == slow.mask, "\(pattern), blocksize \(blocksize)")
            #expect(maxRelativeDifference(fast.weights, slow.weights) <= 1e-9, "\(pattern), blocksize \(blocksize)")
        }
    }

    @Test func wideGroupsEqualTheTextbookSweep() throws {
        // m above 16 selects by sorting rather than by counting ranks.
        let layer = CorrelatedLayer(rows: 6, columns: 64, samples: 128, seed: 14)
        let fast = try SparseGPT.prune(weights: layer.w, rows: 6, columns: 64, hessian: layer.gram,
                                       pattern: .nm(n: 11, m: 32), blocksize: 32)
        let slow = textbookOBS(layer.w, rows: 6, columns: 64, hessian: layer.gram, pattern: .nm(n: 11, m: 32),
                               blocksize: 32, damp: 0.01)
        #expect(fast.mask == slow.mask)
        #expect(maxRelativeDifference(fast.weights, slow.weights) <= 1e-9)
    }

    @Test func rowLossesEqualTheDampedQuadraticForm() throws {
        let layer = CorrelatedLayer(rows: 12, columns: 40, samples: 100, seed: 8)
        let damped = dampedCopy(layer.gram, n: 40, damp: 0.01)
        for pattern in [SparseGPT.Pattern.sparsity(0.6), .nm(n: 2, m: 4)] {
            let result = try SparseGPT.pruneWithLosses(weights: layer.w, rows: 12, columns: 40, hessian: layer.gram,
                                                       pattern: pattern, blocksize: 16, damp: 0.01, warn: { _ in })
            for r in 0..<12 {
                let delta = (0..<40).map { result.weights[r * 40 + $0] - layer.w[r * 40 + $0] }
                var form = 0.0
                for i in 0..<40 { for j in 0..<40 { form += delta[i] * damped[i * 40 + j] * delta[j] } }
                // Σ_j e_j²/2 = ½ ΔW_r H_damped ΔW_rᵀ.
                #expect(abs(result.losses[r] / 2 - form / 2) <= 1e-9 * form, "\(pattern) row \(r)")
            }
        }
    }

    @Test func matchesTheNumPyReference() throws {
        let fixture = try SparseGPTFixture.load()
        let w = try fixture.array("w"), gram = try fixture.array("gram")
        let rows = w.shape[0], columns = w.shape[1]
        #expect(gram.shape == [columns, columns])
        for (name, pattern) in [("50", SparseGPT.Pattern.sparsity(0.5)), ("24", .nm(n: 2, m: 4))] {
            let ours = try SparseGPT.prune(weights: w.values, rows: rows, columns: columns, hessian: gram.values,
                                           pattern: pattern, blocksize: fixture.blocksize, damp: fixture.damp)
            let mask = try fixture.array("\(name)_mask").values.map { $0 != 0 }
            let weights = try fixture.array("\(name)_weights").values
            let same = zip(ours.mask, mask).filter { $0 == $1 }.count
            #expect(Double(same) >= 0.99 * Double(mask.count), "\(name): \(same) of \(mask.count) mask entries agree")
            let errorOurs = reconError(w.values, ours.weights, gram: gram.values, columns: columns)
            let errorNumPy = reconError(w.values, weights, gram: gram.values, columns: columns)
            #expect(abs(errorOurs - errorNumPy) <= 0.01 * errorNumPy, "\(name): \(errorOurs) vs NumPy's \(errorNumPy)")
        }
    }

    @Test func beatsMagnitudeOnCorrelatedInputs() throws {
        // Held-out inputs from the same distribution measure the error, as well as the calibration ones.
        let layer = CorrelatedLayer(rows: 32, columns: 64, samples: 512, seed: 9, outliers: [5, 17, 42])
        for pattern in [SparseGPT.Pattern.sparsity(0.5), .nm(n: 2, m: 4)] {
            let pruned = try SparseGPT.prune(weights: layer.w, rows: 32, columns: 64, hessian: layer.gram, pattern: pattern)
            let baseline = magnitudePrune(layer.w, rows: 32, columns: 64, pattern: pattern)
            let ours = layer.reconError(pruned.weights), theirs = layer.reconError(baseline)
            #expect(ours < theirs, "\(pattern): SparseGPT \(ours) vs magnitude \(theirs)")
            #expect(ours < 0.8 * theirs, "\(pattern): SparseGPT \(ours) should be well below magnitude's \(theirs)")
        }
    }

    @Test func tensorEntryPointReturnsF32WeightsAndABoolMask() throws {
        let layer = CorrelatedLayer(rows: 4, columns: 8, samples: 32, seed: 10)
        let w = Tensor(shape: [4, 8], f32: layer.w.map { Float($0) })
        let h = Tensor(shape: [8, 8], f32: layer.gram.map { Float($0) })
        let result = try SparseGPT.prune(weights: w, hessian: h, pattern: .nm(n: 2, m: 4))
        #expect(result.weights.shape == [4, 8] && result.weights.dtype == .f32)
        #expect(result.mask.shape == [4, 8] && result.mask.dtype == .bool)
        let direct = try SparseGPT.prune(weights: w.doubles(), rows: 4, columns: 8, hessian: h.doubles(), pattern: .nm(n: 2, m: 4))
        #expect(result.weights.floats() == direct.weights.map { Float($0) })
        #expect(result.mask == Tensor(shape: [4, 8], bool: direct.mask))
    }

    @Test func scoresAreWeightsSquaredOverTheInverseDiagonal() throws {
        var layer = CorrelatedLayer(rows: 5, columns: 12, samples: 48, seed: 11)
        layer.killInputs([4])
        let scores = try SparseGPT.scores(weights: layer.w, rows: 5, columns: 12, hessian: layer.gram)
        var h = layer.gram
        h[4 * 12 + 4] = 1
        let damped = dampedCopy(h, n: 12, damp: 0.01)
        for j in 0..<12 {
            // U_jj² = [H[j:, j:]⁻¹]_00.
            let d = inverse(submatrix(damped, n: 12, from: j))[0]
            for r in 0..<5 {
                let expected = j == 4 ? 0 : layer.w[r * 12 + j] * layer.w[r * 12 + j] / d
                #expect(abs(scores[r * 12 + j] - expected) <= 1e-10 * max(expected, 1e-300), "[\(r), \(j)]")
            }
        }
        let tensor = try SparseGPT.scores(weights: Tensor(shape: [5, 12], f32: layer.w.map { Float($0) }),
                                          hessian: Tensor(shape: [12, 12], f32: layer.gram.map { Float($0) }))
        #expect(tensor.shape == [5, 12])
    }

    // MARK: Damping retries

    @Test func retriesWithMoreDampingAndWarns() throws {
        // ones − 0.05·I has eigenvalues 7.95 and −0.05 (mean diag 0.95): damping 0.01·mean
        // leaves it indefinite, 0.1·mean does not.
        let n = 8
        var h = [Double](repeating: 1, count: n * n)
        for i in 0..<n { h[i * n + i] -= 0.05 }
        var warnings: [String] = []
        let w = (0..<(3 * n)).map { Double($0 % 5) - 2 }
        let result = try SparseGPT.prune(weights: w, rows: 3, columns: n, hessian: h, pattern: .sparsity(0.5),
                                         warn: { warnings.append($0) })
        #expect(warnings == ["the Hessian is not positive definite with damping 0.01·mean(diag); retrying with 0.1·mean(diag)"])
        #expect(result.weights.allSatisfy { $0.isFinite })
        #expect(result.mask.filter { !$0 }.count == 12)
    }

    @Test func rankDeficientGramNeedsNoRetry() throws {
        // Fewer samples than inputs: XᵀX is singular, the default damping suffices.
        let layer = CorrelatedLayer(rows: 6, columns: 32, samples: 8, seed: 12)
        var warnings: [String] = []
        for (pattern, blocksize) in [(SparseGPT.Pattern.nm(n: 2, m: 4), 8), (.sparsity(0.5), 12)] {
            let fast = try SparseGPT.prune(weights: layer.w, rows: 6, columns: 32, hessian: layer.gram, pattern: pattern,
                                           blocksize: blocksize, warn: { warnings.append($0) })
            let slow = textbookOBS(layer.w, rows: 6, columns: 32, hessian: layer.gram, pattern: pattern,
                                   blocksize: blocksize, damp: 0.01)
            #expect(fast.mask == slow.mask, "\(pattern)")
            #expect(maxRelativeDifference(fast.weights, slow.weights) <= 1e-9, "\(pattern)")
        }
        #expect(warnings.isEmpty)
    }

    @Test func anIndefiniteHessianFailsAfterThreeRetries() {
        var warnings: [String] = []
        #expect(throws: PruningError("the Hessian is not positive definite even with damping 10.0·mean(diag); "
                                     + "the calibration data may be degenerate — give more samples")) {
            _ = try SparseGPT.prune(weights: [1, 2, 3, 4], rows: 2, columns: 2, hessian: [1, 25, 25, 1],
                                    pattern: .sparsity(0.5), warn: { warnings.append($0) })
        }
        #expect(warnings.count == 3)
        #expect(throws: PruningError("the Hessian is not positive definite without damping; use damp > 0 (the default is 0.01)")) {
            _ = try SparseGPT.prune(weights: [1, 2], rows: 1, columns: 2, hessian: [1, 1, 1, 1], pattern: .sparsity(0.5), damp: 0)
        }
    }

    // MARK: Errors

    @Test func rejectsBadArguments() {
        let w = Tensor(shape: [2, 6], f32: [Float](repeating: 1, count: 12))
        let h = Tensor(shape: [6, 6], f32: (0..<36).map { $0 % 7 == 0 ? 1 : 0 })
        func message(_ body: () throws -> Void) -> String? {
            do { try body() } catch { return (error as? PruningError)?.message ?? "\(error)" }
            return nil
        }
        #expect(message { _ = try SparseGPT.prune(weights: w, hessian: Tensor(shape: [2, 2], f32: [1, 0, 0, 1]), pattern: .sparsity(0.5)) }
                == "the hessian must be [in, in] = [6, 6] for weights [2, 6], got [2, 2]")
        #expect(message { _ = try SparseGPT.prune(weights: Tensor(shape: [6], f32: [Float](repeating: 1, count: 6)), hessian: h, pattern: .sparsity(0.5)) }
                == "the weights must be a 2-d [out, in] matrix, got shape [6]")
        #expect(message { _ = try SparseGPT.prune(weights: w, hessian: h, pattern: .sparsity(1)) }
                == "sparsity must be at least 0 and below 1, got 1")
        #expect(message { _ = try SparseGPT.prune(weights: w, hessian: h, pattern: .sparsity(-0.1)) }
                == "sparsity must be at least 0 and below 1, got -0.1")
        #expect(message { _ = try SparseGPT.prune(weights: w, hessian: h, pattern: .nm(n: 3, m: 2)) }
                == "an n:m pattern keeps n of every m and needs 0 < n ≤ m, got n = 3, m = 2")
        #expect(message { _ = try SparseGPT.prune(weights: w, hessian: h, pattern: .nm(n: 2, m: 4)) }
                == "nm: [2, 4] does not fit a layer with 6 inputs (shape [2, 6]: 6 is not a multiple of 4); patterns that fit: 1:2")
        #expect(message { _ = try SparseGPT.prune(weights: w, hessian: h, pattern: .nm(n: 1, m: 3), blocksize: 4) }
                == "blocksize 4 is not a multiple of m = 3, so an n:m group would straddle two blocks; use a multiple of 3 such as 3 or 6")
        #expect(message { _ = try SparseGPT.prune(weights: w, hessian: h, pattern: .sparsity(0.5), blocksize: 0) }
                == "blocksize must be at least 1, got 0")
        #expect(message { _ = try SparseGPT.prune(weights: w, hessian: h, pattern: .sparsity(0.5), damp: -1) }
                == "damp must be a finite number of at least 0 (a fraction of mean(diag(hessian))), got -1")
        var bad = w.floats()
        bad[7] = .nan
        #expect(message { _ = try SparseGPT.prune(weights: Tensor(shape: [2, 6], f32: bad), hessian: h, pattern: .sparsity(0.5)) }
                == "the weights have a non-finite value (nan) at [1, 1]")
        var badH = h.floats()
        badH[8] = .infinity
        #expect(message { _ = try SparseGPT.prune(weights: w, hessian: Tensor(shape: [6, 6], f32: badH), pattern: .sparsity(0.5)) }
                == "the hessian has a non-finite value (inf) at [1, 2]")
        let odd = Tensor(shape: [1, 7], f32: [Float](repeating: 1, count: 7))
        #expect(message { _ = try SparseGPT.prune(weights: odd, hessian: Tensor(shape: [7, 7], f32: [Float](repeating: 0, count: 49)), pattern: .nm(n: 1, m: 2)) }
                == "nm: [1, 2] does not fit a layer with 7 inputs (shape [1, 7]: 7 is not a multiple of 2); none of 1:2, 2:4, 4:8, 8:16 fits")
    }

    @Test func shapeErrorsAreShapeKind() {
        let w = Tensor(shape: [2, 4], f32: [Float](repeating: 1, count: 8))
        do {
            _ = try SparseGPT.prune(weights: w, hessian: Tensor(shape: [3, 3], f32: [Float](repeating: 0, count: 9)), pattern: .sparsity(0.5))
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .shape)
        }
    }

    @Test func emptyLayersPassThrough() throws {
        let result = try SparseGPT.prune(weights: [], rows: 0, columns: 4, hessian: [Double](repeating: 1, count: 16),
                                         pattern: .sparsity(0.5))
        #expect(result.weights.isEmpty && result.mask.isEmpty)
    }
}

// MARK: - Helpers

/// A random layer `W` `[rows, columns]` with inputs `X` `[samples, columns]` mixed from a few
/// shared factors plus noise (correlated), some features scaled up (outliers), the Gram
/// `XᵀX` in f64, and a second held-out `X` from the same distribution.
private struct CorrelatedLayer {
    var rows: Int, columns: Int, samples: Int
    var w: [Double]
    var x: [Double]
    var heldOut: [Double]
    var gram: [Double]

    init(rows: Int, columns: Int, samples: Int, seed: UInt64, outliers: [Int] = [], rowScales: Bool = false) {
        self.rows = rows
        self.columns = columns
        self.samples = samples
        var rng = RandomStream(seed: seed)
        w = (0..<(rows * columns)).map { _ in rng.nextNormal() }
        if rowScales {
            for r in 0..<rows { for j in 0..<columns { w[r * columns + j] *= Double(1 + r % 4) } }
        }
        let factors = max(2, columns / 8)
        let mixing = (0..<(factors * columns)).map { _ in rng.nextNormal() }
        func inputs(_ rng: inout RandomStream) -> [Double] {
            var x = [Double](repeating: 0, count: samples * columns)
            for t in 0..<samples {
                let z = (0..<factors).map { _ in rng.nextNormal() }
                for j in 0..<columns {
                    var v = 0.5 * rng.nextNormal()
                    for f in 0..<factors { v += z[f] * mixing[f * columns + j] }
                    x[t * columns + j] = outliers.contains(j) ? 10 * v : v
                }
            }
            return x
        }
        x = inputs(&rng)
        heldOut = inputs(&rng)
        gram = gramOf(x, samples: samples, columns: columns)
    }

    /// Zeroes inputs `dead` in X, so their Gram rows and columns are zero.
    mutating func killInputs(_ dead: [Int]) {
        for t in 0..<samples { for j in dead { x[t * columns + j] = 0 } }
        gram = gramOf(x, samples: samples, columns: columns)
    }

    /// `‖X(W−Ŵ)ᵀ‖² / ‖XWᵀ‖²` on the calibration and the held-out inputs together.
    func reconError(_ pruned: [Double]) -> Double {
        var error = 0.0, total = 0.0
        for inputs in [x, heldOut] {
            for t in 0..<samples {
                for r in 0..<rows {
                    var y = 0.0, yHat = 0.0
                    for j in 0..<columns {
                        y += inputs[t * columns + j] * w[r * columns + j]
                        yHat += inputs[t * columns + j] * pruned[r * columns + j]
                    }
                    error += (y - yHat) * (y - yHat)
                    total += y * y
                }
            }
        }
        return error / total
    }
}

private func gramOf(_ x: [Double], samples: Int, columns: Int) -> [Double] {
    var g = [Double](repeating: 0, count: columns * columns)
    for t in 0..<samples {
        for i in 0..<columns {
            let xi = x[t * columns + i]
            for j in 0..<columns { g[i * columns + j] += xi * x[t * columns + j] }
        }
    }
    return g
}

/// `tr((W−Ŵ) G (W−Ŵ)ᵀ) / tr(W G Wᵀ)`.
private func reconError(_ w: [Double], _ pruned: [Double], gram: [Double], columns n: Int) -> Double {
    let rows = w.count / n
    var error = 0.0, total = 0.0
    for r in 0..<rows {
        for i in 0..<n {
            let di = w[r * n + i] - pruned[r * n + i], wi = w[r * n + i]
            for j in 0..<n {
                error += di * gram[i * n + j] * (w[r * n + j] - pruned[r * n + j])
                total += wi * gram[i * n + j] * w[r * n + j]
            }
        }
    }
    return error / total
}

private func maxRelativeDifference(_ a: [Double], _ b: [Double]) -> Double {
    let scale = max(b.map(abs).max() ?? 0, 1e-300)
    return zip(a, b).map { abs($0 - $1) }.max().map { $0 / scale } ?? 0
}

/// Magnitude pruning: per row the ⌊s·in + 1e-9⌋ smallest |w| (ties: higher index first), or
/// per group of m the m − n smallest.
private func magnitudePrune(_ w: [Double], rows: Int, columns: Int, pattern: SparseGPT.Pattern) -> [Double] {
    var out = w
    switch pattern {
    case .sparsity(let s):
        let k = Int((s * Double(columns) + 1e-9).rounded(.down))
        for r in 0..<rows {
            let order = (0..<columns).sorted { abs(w[r * columns + $0]) < abs(w[r * columns + $1]) || (abs(w[r * columns + $0]) == abs(w[r * columns + $1]) && $0 > $1) }
            for j in order.prefix(k) { out[r * columns + j] = 0 }
        }
    case .nm(let n, let m):
        for r in 0..<rows {
            for g in stride(from: 0, to: columns, by: m) {
                let order = (g..<(g + m)).sorted { abs(w[r * columns + $0]) < abs(w[r * columns + $1]) || (abs(w[r * columns + $0]) == abs(w[r * columns + $1]) && $0 > $1) }
                for j in order.prefix(m - n) { out[r * columns + j] = 0 }
            }
        }
    }
    return out
}

/// `H + damp · mean(diag H) · I`.
private func dampedCopy(_ h: [Double], n: Int, damp: Double) -> [Double] {
    var d = h
    var mean = 0.0
    for i in 0..<n { mean += h[i * n + i] / Double(n) }
    for i in 0..<n { d[i * n + i] += damp * mean }
    return d
}

/// `H[j:, j:]`, row-major.
private func submatrix(_ h: [Double], n: Int, from j: Int) -> [Double] {
    var s: [Double] = []
    for r in j..<n { for c in j..<n { s.append(h[r * n + c]) } }
    return s
}

/// The inverse of a square row-major matrix by Gauss–Jordan elimination with partial pivoting.
private func inverse(_ a: [Double]) -> [Double] {
    let n = Int(Double(a.count).squareRoot())
    var m = a
    var inv = [Double](repeating: 0, count: n * n)
    for i in 0..<n { inv[i * n + i] = 1 }
    for col in 0..<n {
        var pivot = col
        for r in col..<n where abs(m[r * n + col]) > abs(m[pivot * n + col]) { pivot = r }
        if pivot != col {
            for c in 0..<n {
                m.swapAt(col * n + c, pivot * n + c)
                inv.swapAt(col * n + c, pivot * n + c)
            }
        }
        let p = m[col * n + col]
        for c in 0..<n {
            m[col * n + c] /= p
            inv[col * n + c] /= p
        }
        for r in 0..<n where r != col {
            let f = m[r * n + col]
            if f == 0 { continue }
            for c in 0..<n {
                m[r * n + c] -= f * m[col * n + c]
                inv[r * n + c] -= f * inv[col * n + c]
            }
        }
    }
    return inv
}

/// The textbook OBS sweep, one column at a time: for the remaining columns F = {c, …}, invert
/// `H_damped[F, F]` afresh; a pruned weight w_c moves the row by `−(w_c / [H_F⁻¹]_00) · H_F⁻¹[0, :]`.
/// Selections as algorithms.md §4: per block jointly on `w²/[H_F⁻¹]_00` at the block's start
/// (unstructured), per group on the current weights (N:M). No Cholesky factor anywhere.
private func textbookOBS(_ weights: [Double], rows: Int, columns n: Int, hessian: [Double],
                         pattern: SparseGPT.Pattern, blocksize: Int, damp: Double) -> (weights: [Double], mask: [Bool]) {
    let h = dampedCopy(hessian, n: n, damp: damp)
    let firstRows = (0..<n).map { c in Array(inverse(submatrix(h, n: n, from: c)).prefix(n - c)) }
    let d = firstRows.map { $0[0] }
    var w = weights
    var mask = [Bool](repeating: true, count: rows * n)
    for a in stride(from: 0, to: n, by: blocksize) {
        let b = min(a + blocksize, n)
        if case .sparsity(let s) = pattern {
            var entries: [(score: Double, index: Int)] = []
            for r in 0..<rows { for c in a..<b { entries.append((w[r * n + c] * w[r * n + c] / d[c], r * n + c)) } }
            entries.sort { $0.score < $1.score || ($0.score == $1.score && $0.index > $1.index) }
            let k = Int((s * Double(rows * (b - a)) + 1e-9).rounded(.down))
            for e in entries.prefix(k) { mask[e.index] = false }
        }
        for c in a..<b {
            for r in 0..<rows {
                if case .nm(let keep, let m) = pattern, (c - a) % m == 0 {
                    let order = (c..<(c + m)).sorted { x, y in
                        let sx = w[r * n + x] * w[r * n + x] / d[x], sy = w[r * n + y] * w[r * n + y] / d[y]
                        return sx > sy || (sx == sy && x < y)
                    }
                    for (rank, j) in order.enumerated() { mask[r * n + j] = rank < keep }
                }
                if !mask[r * n + c] {
                    let f = w[r * n + c] / d[c]
                    for k in 0..<(n - c) { w[r * n + c + k] -= f * firstRows[c][k] }
                    w[r * n + c] = 0
                }
            }
        }
    }
    return (w, mask)
}
