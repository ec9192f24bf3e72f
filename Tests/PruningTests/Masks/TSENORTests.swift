import Foundation
import Testing
import TensorModule
@testable import Pruning

/// TSENOR and the exact reference (algorithms.md §9): validity, quality against the optimum
/// and the baselines, the exact methods against brute force, the plan, and the errors.
@Suite struct TSENORTests {
    /// Seeded `[rows, columns]` scores: `|gaussian|`, Wanda-like `|w|·column scale`, or
    /// integers in `0..<levels` (many ties).
    enum Kind { case gaussian, wanda, integers(UInt64) }

    static func scores(_ rows: Int, _ columns: Int, _ kind: Kind, seed: UInt64) -> ScoreMatrix {
        var rng = RandomStream(seed: seed)
        var values: [Double]
        switch kind {
        case .gaussian:
            values = (0..<(rows * columns)).map { _ in abs(rng.nextNormal()) }
        case .wanda:
            let scale = (0..<columns).map { _ in exp(rng.nextNormal()) }
            values = (0..<(rows * columns)).map { abs(rng.nextNormal()) * scale[$0 % columns] }
        case .integers(let levels):
            values = (0..<(rows * columns)).map { _ in Double(rng.nextInt(below: levels)) }
        }
        return ScoreMatrix(rows: rows, columns: columns, values: values)
    }

    /// Whether every m×m block keeps exactly n in each row and column.
    static func isExactlyTransposable(_ mask: [Bool], rows: Int, columns: Int, n: Int, m: Int) -> Bool {
        for r0 in stride(from: 0, to: rows, by: m) {
            for c0 in stride(from: 0, to: columns, by: m) {
                for t in 0..<m {
                    let inRow = (0..<m).filter { mask[(r0 + t) * columns + c0 + $0] }.count
                    let inCol = (0..<m).filter { mask[(r0 + $0) * columns + c0 + t] }.count
                    if inRow != n || inCol != n { return false }
                }
            }
        }
        return true
    }

    static let patterns: [(n: Int, m: Int)] = [(2, 4), (1, 4), (3, 4), (4, 8), (2, 8)]

    @Test(arguments: TSENOR.Rounding.allCases)
    func alwaysExactlyNPerRowAndColumn(rounding: TSENOR.Rounding) throws {
        for (n, m) in Self.patterns {
            var inputs: [ScoreMatrix] = (0..<6).map { Self.scores(2 * m, 2 * m, .integers(3), seed: UInt64(10 * m + n + 100 * $0)) }
            inputs.append(Self.scores(m, 3 * m, .gaussian, seed: UInt64(n)))
            inputs.append(ScoreMatrix(rows: m, columns: m, values: [Double](repeating: 0, count: m * m)))
            inputs.append(ScoreMatrix(rows: m, columns: 2 * m, values: (0..<(2 * m * m)).map { $0 % (2 * m) < m ? 5 : -2 }))
            for s in inputs {
                let mask = try TSENOR.mask(s, n: n, m: m, iterations: 30, rounding: rounding)
                #expect(Self.isExactlyTransposable(mask, rows: s.rows, columns: s.columns, n: n, m: m), "\(n):\(m) \(rounding)")
                for baseline in [try TSENOR.greedyRepair(s, n: n, m: m), try TSENOR.rowFirstRepair(s, n: n, m: m)] {
                    #expect(Self.isExactlyTransposable(baseline, rows: s.rows, columns: s.columns, n: n, m: m), "baseline \(n):\(m)")
                }
            }
        }
    }

    /// 4096 blocks run concurrently, 2048 in one pass; blocks are independent, so the top
    /// half of the large mask equals the mask of the top half alone.
    @Test func resultDoesNotDependOnThreading() throws {
        let s = Self.scores(256, 256, .wanda, seed: 21)
        #expect(s.values.count / 16 >= TSENOR.parallelThreshold)
        let top = ScoreMatrix(rows: 128, columns: 256, values: Array(s.values[0..<(128 * 256)]))
        #expect(Array(try TSENOR.mask(s, n: 2, m: 4)[0..<(128 * 256)]) == (try TSENOR.mask(top, n: 2, m: 4)))
        #expect(Array(try TSENOR.plan(s, n: 2, m: 4)[0..<(128 * 256)]) == (try TSENOR.plan(top, n: 2, m: 4)))
    }

    @Test func nEqualsMKeepsAll() throws {
        let s = Self.scores(4, 8, .gaussian, seed: 3)
        #expect(try TSENOR.mask(s, n: 4, m: 4).allSatisfy { $0 })
        #expect(try TransposableExact.mask(s, n: 4, m: 4).allSatisfy { $0 })
    }

    /// tsenor's kept score against the exact optimum and the two baselines on random matrices.
    @Test(arguments: [(2, 4, 256), (4, 8, 256)])
    func closeToExactAndAboveBaselines(n: Int, m: Int, size: Int) throws {
        for (k, kind) in [Kind.gaussian, .wanda].enumerated() {
            let s = Self.scores(size, size, kind, seed: UInt64(7 + k))
            let exact = TSENOR.keptScore(s, mask: try TransposableExact.mask(s, n: n, m: m))
            for rounding in TSENOR.Rounding.allCases {
                let kept = TSENOR.keptScore(s, mask: try TSENOR.mask(s, n: n, m: m, rounding: rounding))
                #expect(kept >= 0.99 * exact, "\(n):\(m) \(kind) \(rounding): \(kept / exact)")
                #expect(kept <= exact * (1 + 1e-12))
                #expect(kept >= TSENOR.keptScore(s, mask: try TSENOR.greedyRepair(s, n: n, m: m)))
                #expect(kept >= TSENOR.keptScore(s, mask: try TSENOR.rowFirstRepair(s, n: n, m: m)))
            }
        }
    }

    /// The best pattern of one m×m block by trying every subset of cells (m ≤ 4).
    static func bruteForce(_ block: [Double], n: Int, m: Int) -> Double {
        var best = -Double.infinity
        for bits in 0..<(1 << (m * m)) where bits.nonzeroBitCount == n * m {
            let valid = (0..<m).allSatisfy { t in
                (0..<m).filter { bits & (1 << (t * m + $0)) != 0 }.count == n
                    && (0..<m).filter { bits & (1 << ($0 * m + t)) != 0 }.count == n
            }
            guard valid else { continue }
            best = max(best, (0..<(m * m)).filter { bits & (1 << $0) != 0 }.map { block[$0] }.reduce(0, +))
        }
        return best
    }

    @Test func exactMatchesBruteForceAndFlowMatchesEnumeration() throws {
        #expect(TransposableExact.patterns(n: 2, m: 4).count == 90)
        #expect(TransposableExact.patterns(n: 1, m: 4).count == 24)
        for (n, m) in [(1, 3), (2, 3), (1, 4), (2, 4), (3, 4)] {
            let s = Self.scores(m, m, .integers(5), seed: UInt64(n * 10 + m))
            let exact = TSENOR.keptScore(s, mask: try TransposableExact.mask(s, n: n, m: m))
            #expect(exact == Self.bruteForce(s.values, n: n, m: m), "\(n):\(m)")
        }
        for (n, m) in [(1, 4), (2, 4), (3, 4), (1, 5), (2, 5), (3, 5)] {
            for kind in [Kind.gaussian, .integers(3)] {
                let s = Self.scores(4 * m, 4 * m, kind, seed: UInt64(n + m))
                let flow = try TransposableExact.flowMask(s, n: n, m: m)
                let enumerated = try TransposableExact.enumerationMask(s, n: n, m: m)
                #expect(Self.isExactlyTransposable(flow, rows: s.rows, columns: s.columns, n: n, m: m))
                #expect(abs(TSENOR.keptScore(s, mask: flow) - TSENOR.keptScore(s, mask: enumerated)) <= 1e-9, "\(n):\(m)")
            }
        }
    }

    @Test func planHasRowAndColumnSumsN() throws {
        let s = Self.scores(8, 8, .gaussian, seed: 11)
        let plan = try TSENOR.plan(s, n: 4, m: 8, iterations: 300)
        for t in 0..<8 {
            #expect(abs((0..<8).map { plan[t * 8 + $0] }.reduce(0, +) - 4) < 1e-3)
            #expect(abs((0..<8).map { plan[$0 * 8 + t] }.reduce(0, +) - 4) < 1e-3)
        }
        #expect(plan.allSatisfy { $0 >= 0 && $0 <= 1 + 1e-12 })
    }

    @Test func errors() throws {
        let s = Self.scores(4, 8, .gaussian, seed: 1)
        #expect(throws: PruningError.self) { try TSENOR.mask(s, n: 0, m: 4) }
        #expect(throws: PruningError.self) { try TSENOR.mask(s, n: 5, m: 4) }
        #expect(throws: PruningError.self) { try TSENOR.mask(s, n: 2, m: 8) }
        #expect(throws: PruningError.self) { try TransposableExact.mask(Self.scores(9, 9, .gaussian, seed: 1), n: 2, m: 9) }
        var nan = s
        nan.values[5] = .nan
        #expect(throws: PruningError.self) { try TSENOR.mask(nan, n: 2, m: 4) }
        #expect(throws: PruningError.self) { try TSENOR.mask(s, n: 2, m: 4, epsilon: 0) }
        #expect(throws: PruningError.self) { try TSENOR.Rounding(name: "none") }
        do {
            _ = try TSENOR.Rounding(name: "none")
        } catch {
            #expect(error.message.contains("\"greedy+local\", \"greedy+local+2opt\""))
        }
    }
}
