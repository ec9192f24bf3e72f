import Testing
import TensorModule
@testable import Pruning

// OSSCAR at the matrix level (algorithms.md §7): keep-all, the refit against an independent
// ridge least-squares solve, local search never worse than backward elimination, exhaustive
// search on tiny separable problems, near-duplicate channels against magnitude-then-refit,
// wide groups and argument errors.

@Suite struct OSSCARTests {
    @Test func keepingAllGroupsGivesZeroError() throws {
        let layer = OSSCARLayer(rows: 6, columns: 12, samples: 40, seed: 1)
        let result = try OSSCAR.prune(weights: layer.w, rows: 6, columns: 12, gram: layer.gram, keep: 12)
        #expect(result.kept == Array(0..<12))
        #expect(result.mask.allSatisfy { $0 })
        #expect(layer.reconError(result.weights) < 1e-20)
    }

    @Test func refitEqualsARidgeSolveAndBeatsNoRefit() throws {
        let layer = OSSCARLayer(rows: 5, columns: 10, samples: 30, seed: 2)
        for kept in [[0, 3, 4, 8], [1, 2, 5, 6, 7, 9], [6]] {
            let fit = try OSSCAR.refit(weights: layer.w, rows: 5, columns: 10, gram: layer.gram, kept: kept)
            let direct = layer.ridgeSolve(kept: kept)
            for i in 0..<fit.weights.count { #expect(abs(fit.weights[i] - direct[i]) < 1e-9 * (1 + abs(direct[i]))) }
            // No refit: the original weights on the support.
            var masked = layer.w
            for r in 0..<5 { for j in 0..<10 where !kept.contains(j) { masked[r * 10 + j] = 0 } }
            #expect(layer.ridgeError(fit.weights) <= layer.ridgeError(masked) + 1e-12)
            #expect(abs(OSSCAR.objective(pruned: fit.weights, weights: layer.w, rows: 5, columns: 10, gram: layer.gram)
                        - fit.objective) < 1e-9 * abs(fit.objective))
        }
    }

    @Test func localSearchIsNeverWorseThanBackwardElimination() throws {
        for seed in UInt64(3)...8 {
            let layer = OSSCARLayer(rows: 8, columns: 24, samples: 60, seed: seed)
            for keep in [4, 12, 20] {
                let backward = try OSSCAR.prune(weights: layer.w, rows: 8, columns: 24, gram: layer.gram, keep: keep,
                                                perStep: 3, localSearch: false)
                let full = try OSSCAR.prune(weights: layer.w, rows: 8, columns: 24, gram: layer.gram, keep: keep,
                                            perStep: 3, swap: 2)
                #expect(full.objective <= backward.objective, "seed \(seed) keep \(keep)")
                #expect(full.kept.count == keep && backward.kept.count == keep)
            }
        }
    }

    @Test func matchesExhaustiveSearchOnTinySeparableProblems() throws {
        for seed in UInt64(10)...14 {
            // Independent inputs of distinct scales: the supports are well separated.
            let layer = OSSCARLayer(rows: 3, columns: 7, samples: 50, seed: seed, factors: 0, scaled: true)
            let result = try OSSCAR.prune(weights: layer.w, rows: 3, columns: 7, gram: layer.gram, keep: 3,
                                          perStep: 1, swap: 1)
            var best = (objective: Double.infinity, kept: [Int]())
            for a in 0..<7 { for b in (a + 1)..<7 { for c in (b + 1)..<7 {
                let f = try OSSCAR.refit(weights: layer.w, rows: 3, columns: 7, gram: layer.gram, kept: [a, b, c]).objective
                if f < best.objective { best = (f, [a, b, c]) }
            } } }
            #expect(result.kept == best.kept, "seed \(seed)")
            #expect(abs(result.objective - best.objective) <= 1e-9 * abs(best.objective))
        }
    }

    @Test func beatsMagnitudeThenRefitOnNearDuplicateChannels() throws {
        let layer = OSSCARLayer(rows: 16, columns: 32, samples: 200, seed: 20, factors: 0, duplicates: true)
        let keep = 16
        // Small steps: both copies of a pair look cheap alone, so removing many at once could take both.
        let result = try OSSCAR.prune(weights: layer.w, rows: 16, columns: 32, gram: layer.gram, keep: keep,
                                      perStep: 2, swap: 2)
        let norms = (0..<32).map { j in (0..<16).reduce(0.0) { $0 + layer.w[$1 * 32 + j] * layer.w[$1 * 32 + j] } }
        let byNorm = (0..<32).sorted { (norms[$0], -$0) > (norms[$1], -$1) }.prefix(keep).sorted()
        let magnitude = try OSSCAR.refit(weights: layer.w, rows: 16, columns: 32, gram: layer.gram, kept: Array(byNorm))
        let ours = layer.reconError(result.weights), theirs = layer.reconError(magnitude.weights)
        #expect(ours < 0.1 * theirs, "OSSCAR \(ours), magnitude then refit \(theirs)")
    }

    @Test func wideGroupsRemoveWholeBlocks() throws {
        let layer = OSSCARLayer(rows: 6, columns: 24, samples: 80, seed: 30)
        let result = try OSSCAR.prune(weights: layer.w, rows: 6, columns: 24, gram: layer.gram, keep: 3, width: 4)
        #expect(result.kept.count == 3 && result.kept.allSatisfy { (0..<6).contains($0) } && result.kept == result.kept.sorted())
        for j in 0..<24 {
            let kept = result.kept.contains(j / 4)
            for r in 0..<6 {
                #expect(result.mask[r * 24 + j] == kept)
                if !kept { #expect(result.weights[r * 24 + j] == 0) }
            }
        }
        let fit = try OSSCAR.refit(weights: layer.w, rows: 6, columns: 24, gram: layer.gram, kept: result.kept, width: 4)
        #expect(fit.weights == result.weights)
    }

    @Test func deadChannelsGetZeroWeights() throws {
        var layer = OSSCARLayer(rows: 4, columns: 8, samples: 30, seed: 40)
        layer.kill(2)
        let result = try OSSCAR.prune(weights: layer.w, rows: 4, columns: 8, gram: layer.gram, keep: 8)
        for r in 0..<4 { #expect(result.weights[r * 8 + 2] == 0) }
        #expect(layer.reconError(result.weights) < 1e-20)
    }

    @Test func keptCountsFollowTheCountingRule() throws {
        #expect(try OSSCAR.keptCount(keep: 1, sparsity: nil, groups: 10) == 1)
        #expect(try OSSCAR.keptCount(keep: 0.3, sparsity: nil, groups: 10) == 3)
        #expect(try OSSCAR.keptCount(keep: nil, sparsity: 0.57, groups: 100) == 43)
        #expect(try OSSCAR.keptCount(keep: nil, sparsity: 0, groups: 7) == 7)
        #expect(throws: PruningError.self) { try OSSCAR.keptCount(keep: 2, sparsity: 0.5, groups: 10) }
        #expect(throws: PruningError.self) { try OSSCAR.keptCount(keep: nil, sparsity: nil, groups: 10) }
        #expect(throws: PruningError.self) { try OSSCAR.keptCount(keep: 11, sparsity: nil, groups: 10) }
        #expect(throws: PruningError.self) { try OSSCAR.keptCount(keep: 2.5, sparsity: nil, groups: 10) }
        #expect(throws: PruningError.self) { try OSSCAR.keptCount(keep: 0, sparsity: nil, groups: 10) }
        #expect(throws: PruningError.self) { try OSSCAR.keptCount(keep: nil, sparsity: 1, groups: 10) }
    }

    @Test func badArgumentsAreErrors() {
        let w = [Double](repeating: 1, count: 12), h = (0..<36).map { $0 % 7 == 0 ? 1.0 : 0 }
        #expect(throws: PruningError.self) { try OSSCAR.prune(weights: w, rows: 2, columns: 6, gram: h, keep: 1, width: 4) }
        #expect(throws: PruningError.self) { try OSSCAR.prune(weights: w, rows: 2, columns: 6, gram: h, keep: 1, perStep: 0) }
        var bad = h
        bad[7] = .nan
        #expect(throws: PruningError.self) { try OSSCAR.prune(weights: w, rows: 2, columns: 6, gram: bad, keep: 1) }
        let tensor = Tensor(shape: [2, 6], f32: w.map { Float($0) })
        #expect(throws: PruningError.self) {
            try OSSCAR.prune(weights: tensor, gram: Tensor(shape: [5, 5], f32: [Float](repeating: 0, count: 25)), keep: 1)
        }
        #expect(throws: PruningError.self) {
            try OSSCAR.prune(weights: Tensor(shape: [12], f32: w.map { Float($0) }), gram: Tensor(shape: [6, 6], f32: h.map { Float($0) }), keep: 1)
        }
    }
}

/// A random layer `[rows, columns]` with calibration inputs: correlated through latent factors,
/// optionally with distinct per-input scales, or with near-duplicate pairs of channels.
private struct OSSCARLayer {
    var rows: Int, columns: Int
    var w: [Double]
    var gram: [Double]

    init(rows: Int, columns: Int, samples: Int, seed: UInt64, factors: Int = 3, scaled: Bool = false,
         duplicates: Bool = false) {
        self.rows = rows
        self.columns = columns
        var rng = RandomStream(seed: seed)
        w = (0..<(rows * columns)).map { _ in rng.nextNormal() }
        let mixing = (0..<(factors * columns)).map { _ in rng.nextNormal() }
        var x = [Double](repeating: 0, count: samples * columns)
        for t in 0..<samples {
            let z = (0..<factors).map { _ in rng.nextNormal() }
            for j in 0..<columns {
                var v = 0.5 * rng.nextNormal()
                for f in 0..<factors { v += z[f] * mixing[f * columns + j] }
                if scaled { v *= Double(1 + 2 * j) }
                x[t * columns + j] = v
            }
            // Odd channels copy the even one before them, up to 1% noise.
            if duplicates {
                for j in stride(from: 1, to: columns, by: 2) { x[t * columns + j] = x[t * columns + j - 1] + 0.01 * rng.nextNormal() }
            }
        }
        gram = [Double](repeating: 0, count: columns * columns)
        for t in 0..<samples {
            for i in 0..<columns { for j in 0..<columns { gram[i * columns + j] += x[t * columns + i] * x[t * columns + j] } }
        }
    }

    /// Zeroes input `j`'s Gram row and column (a dead channel).
    mutating func kill(_ j: Int) {
        for i in 0..<columns {
            gram[i * columns + j] = 0
            gram[j * columns + i] = 0
        }
    }

    /// `tr((W−Ŵ)G(W−Ŵ)ᵀ) / tr(WGWᵀ)`.
    func reconError(_ pruned: [Double]) -> Double { quadratic(pruned, gram) / quadratic([Double](repeating: 0, count: w.count), gram) }

    /// The ridge error `tr((W−Ŵ)H_r(W−Ŵ)ᵀ)`, what the refit minimizes.
    func ridgeError(_ pruned: [Double]) -> Double { quadratic(pruned, ridged()) }

    /// `tr((W−Ŵ)A(W−Ŵ)ᵀ)`.
    private func quadratic(_ pruned: [Double], _ a: [Double]) -> Double {
        var total = 0.0
        for r in 0..<rows {
            for i in 0..<columns {
                for j in 0..<columns {
                    total += (w[r * columns + i] - pruned[r * columns + i]) * a[i * columns + j] * (w[r * columns + j] - pruned[r * columns + j])
                }
            }
        }
        return total
    }

    /// `H + 0.01·mean(diag H)·I`.
    private func ridged() -> [Double] {
        let mean = (0..<columns).reduce(0.0) { $0 + gram[$1 * columns + $1] } / Double(columns)
        var h = gram
        for i in 0..<columns { h[i * columns + i] += 0.01 * mean }
        return h
    }

    /// Each row's ridge least squares on the inputs `kept`, from the normal equations
    /// `(H_r)_SS ŵ_S = (H_r)_S: w` by Gaussian elimination with partial pivoting.
    func ridgeSolve(kept: [Int]) -> [Double] {
        let h = ridged(), s = kept.count
        var out = [Double](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            var a = [[Double]](repeating: [Double](repeating: 0, count: s + 1), count: s)
            for (p, i) in kept.enumerated() {
                for (q, j) in kept.enumerated() { a[p][q] = h[i * columns + j] }
                a[p][s] = (0..<columns).reduce(0.0) { $0 + h[i * columns + $1] * w[r * columns + $1] }
            }
            for c in 0..<s {
                let pivot = (c..<s).max { abs(a[$0][c]) < abs(a[$1][c]) } ?? c
                a.swapAt(c, pivot)
                for p in (c + 1)..<max(c + 1, s) {
                    let factor = a[p][c] / a[c][c]
                    for q in c...s { a[p][q] -= factor * a[c][q] }
                }
            }
            var x = [Double](repeating: 0, count: s)
            for c in stride(from: s - 1, through: 0, by: -1) {
                var v = a[c][s]
                for q in (c + 1)..<max(c + 1, s) { v -= a[c][q] * x[q] }
                x[c] = v / a[c][c]
            }
            for (p, j) in kept.enumerated() { out[r * columns + j] = x[p] }
        }
        return out
    }
}
