import Foundation
import Testing
@testable import TensorModule

/// Deterministic scores with many ties (a linear congruential sequence folded into 9 levels).
private func tiedScores(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int((state >> 33) % 9) - 4)
    }
}

@Suite struct TensorMasksTests {
    // MARK: counts

    @Test func prunedCountGuardsAgainstFloorRounding() throws {
        // 0.57 · 100 is 56.99999999999999 in binary floating point.
        #expect(0.57 * 100.0 < 57)
        #expect(try Tensor.maskPrunedCount(sparsity: 0.57, length: 100) == 57)
        #expect(try Tensor.maskPrunedCount(sparsity: 0.5, length: 7) == 3)
        #expect(try Tensor.maskPrunedCount(sparsity: 0, length: 7) == 0)
        #expect(throws: TensorError.self) { try Tensor.maskPrunedCount(sparsity: 1, length: 7) }
        #expect(throws: TensorError.self) { try Tensor.maskPrunedCount(sparsity: -0.1, length: 7) }
    }

    @Test func keptCountFollowsTheOneRule() throws {
        // Fraction: L − ⌊(1−f)·L + 1e-9⌋; (1 − 0.9)·10 is 0.9999999999999998.
        #expect(try Tensor.maskKeptCount(keep: 0.9, length: 10) == 9)
        #expect(try Tensor.maskKeptCount(keep: 0.43, length: 100) == 43)
        #expect(try Tensor.maskKeptCount(keep: 0.5, length: 5) == 3)
        #expect(try Tensor.maskKeptCount(keep: 0.25, length: 3) == 1)
        // Integers count entries: keep 1 keeps one, not all.
        #expect(try Tensor.maskKeptCount(keep: 1, length: 10) == 1)
        #expect(try Tensor.maskKeptCount(keep: 10, length: 10) == 10)
        #expect(try Tensor.maskKeptCount(keep: 0, length: 10) == 0)
        #expect(throws: TensorError.self) { try Tensor.maskKeptCount(keep: 11, length: 10) }
        #expect(throws: TensorError.self) { try Tensor.maskKeptCount(keep: 2.5, length: 10) }
        #expect(throws: TensorError.self) { try Tensor.maskKeptCount(keep: -1, length: 10) }
        #expect(throws: TensorError.self) { try Tensor.maskKeptCount(keep: .nan, length: 10) }
    }

    // MARK: maskTopK

    @Test func topKPerRowPerColumnAndWhole() throws {
        let s = Tensor(shape: [2, 3], f32: [3, 1, 2, 0, 5, 4])
        #expect(try s.maskTopK(keep: 2, axis: 1) == Tensor(shape: [2, 3], bool: [true, false, true, false, true, true]))
        #expect(try s.maskTopK(keep: 1, axis: 0) == Tensor(shape: [2, 3], bool: [true, false, false, false, true, true]))
        #expect(try s.maskTopK(keep: 2, axis: nil) == Tensor(shape: [2, 3], bool: [false, false, false, false, true, true]))
        #expect(try s.maskTopK(keep: 1, axis: -1) == Tensor(shape: [2, 3], bool: [true, false, false, false, true, false]))
        #expect(try s.maskTopK(keep: 0, axis: 1) == Tensor(shape: [2, 3], bool: [Bool](repeating: false, count: 6)))
    }

    @Test func topKTiesKeepTheLowerIndex() throws {
        let s = Tensor(shape: [6], f32: [1, 2, 2, 2, 0, 2])
        #expect(try s.maskTopK(keep: 2, axis: 0) == Tensor(shape: [6], bool: [false, true, true, false, false, false]))
        // Whole-tensor ties go row-major.
        let m = Tensor(shape: [2, 2], f32: [1, 1, 1, 1])
        #expect(try m.maskTopK(keep: 3, axis: nil) == Tensor(shape: [2, 2], bool: [true, true, true, false]))
        // -0 equals 0; NaN is below every number.
        let z = Tensor(shape: [4], f32: [.nan, -0.0, 0, -1])
        #expect(try z.maskTopK(keep: 2, axis: 0) == Tensor(shape: [4], bool: [false, true, true, false]))
        #expect(try z.maskTopK(keep: 3, axis: 0) == Tensor(shape: [4], bool: [false, true, true, true]))
    }

    @Test func topKFractionOnAHundredEntriesKeepsExactly() throws {
        let s = Tensor(shape: [100], f32: (0..<100).map { Float($0) })
        let mask = try s.maskTopK(keep: 0.43, axis: 0)
        guard case .bool(let kept) = mask.data else { Issue.record("not bool"); return }
        #expect(kept.filter { $0 }.count == 43)
        #expect(kept[57] && !kept[56])
    }

    @Test func topKIntegerAndBoolScores() throws {
        let i = Tensor(shape: [4], i32: [-5, 7, 7, Int32.min])
        #expect(try i.maskTopK(keep: 2, axis: 0) == Tensor(shape: [4], bool: [false, true, true, false]))
        #expect(try i.maskTopK(keep: 3, axis: 0) == Tensor(shape: [4], bool: [true, true, true, false]))
        let b = Tensor(shape: [3], bool: [false, true, false])
        #expect(try b.maskTopK(keep: 2, axis: 0) == Tensor(shape: [3], bool: [true, true, false]))
    }

    @Test func topKErrors() throws {
        let s = Tensor(shape: [2, 3], f32: [3, 1, 2, 0, 5, 4])
        #expect(throws: TensorError.self) { try s.maskTopK(keep: 4, axis: 1) }
        #expect(throws: TensorError.self) { try s.maskTopK(keep: 1.5, axis: 1) }
        #expect(throws: TensorError.self) { try s.maskTopK(keep: 1, axis: 2) }
    }

    @Test func radixSelectMatchesSorting() throws {
        // Long slices take the radix-select path; compare with sorting composites.
        for (length, k) in [(5000, 1), (5000, 2500), (10_000, 9999), (6000, 3)] {
            let scores = tiedScores(length, seed: UInt64(length + k))
            let mask = try Tensor(shape: [length], f32: scores).maskTopK(keep: Double(k), axis: 0)
            let order = (0..<length).sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
            var expected = [Bool](repeating: false, count: length)
            for j in order.prefix(k) { expected[j] = true }
            #expect(mask == Tensor(shape: [length], bool: expected))
        }
    }

    // MARK: maskNM

    @Test func nmKeepsTheLargestPerGroup() throws {
        let s = Tensor(shape: [2, 4], f32: [1, 4, 3, 2, -1, -3, 0, -2])
        #expect(try s.maskNM(n: 2, m: 4, axis: 1) == Tensor(shape: [2, 4], bool: [false, true, true, false, true, false, true, false]))
        #expect(try s.maskNM(n: 1, m: 2, axis: -1) == Tensor(shape: [2, 4], bool: [false, true, true, false, true, false, true, false]))
        // Along axis 0: groups are column pairs.
        #expect(try s.maskNM(n: 1, m: 2, axis: 0) == Tensor(shape: [2, 4], bool: [true, true, true, true, false, false, false, false]))
    }

    @Test func nmTiesKeepTheLowerIndex() throws {
        let s = Tensor(shape: [8], f32: [5, 5, 5, 5, 1, 2, 2, 2])
        #expect(try s.maskNM(n: 2, m: 4, axis: 0) == Tensor(shape: [8], bool: [true, true, false, false, false, true, true, false]))
        let nan = Tensor(shape: [4], f32: [.nan, 0, .nan, -1])
        #expect(try nan.maskNM(n: 2, m: 4, axis: 0) == Tensor(shape: [4], bool: [false, true, false, true]))
    }

    @Test func nmErrorsNameTheShapeAndWhatFits() throws {
        let s = Tensor.zeros([2, 172])
        #expect(throws: TensorError("axis 1 of shape [2, 172] has length 172, not a multiple of m = 8 (m = 2 or 4 would fit)")) {
            try s.maskNM(n: 4, m: 8, axis: 1)
        }
        #expect(throws: TensorError.self) { try s.maskNM(n: 0, m: 4, axis: 1) }
        #expect(throws: TensorError.self) { try s.maskNM(n: 5, m: 4, axis: 1) }
        #expect(try s.maskNM(n: 2, m: 4, axis: 1).shape == [2, 172])
    }

    // MARK: checks

    @Test func isNMCountsAtMostN() throws {
        let m = Tensor(shape: [2, 4], bool: [true, false, true, false, false, false, false, true])
        #expect(try m.isNM(n: 2, m: 4, axis: 1))
        #expect(try m.isNM(n: 1, m: 2, axis: 0))
        #expect(try !m.isNM(n: 1, m: 4, axis: 1))
        let f = Tensor(shape: [4], f32: [0.5, 0, 0, 3])
        #expect(try f.isNM(n: 1, m: 2, axis: 0))
        #expect(try !f.isNM(n: 1, m: 4, axis: 0))
        #expect(throws: TensorError.self) { try f.isNM(n: 1, m: 3, axis: 0) }
    }

    @Test func transposableNMChecksRowsAndColumnsOfEachBlock() throws {
        // 1:2 in rows and columns of each 2×2 block.
        let good = Tensor(shape: [2, 4], bool: [true, false, false, true, false, true, true, false])
        #expect(try good.isTransposableNM(n: 1, m: 2))
        // Rows are 1:2 but column 0 of the first block has two.
        let bad = Tensor(shape: [2, 4], bool: [true, false, true, false, true, false, false, true])
        #expect(try bad.isNM(n: 1, m: 2, axis: 1))
        #expect(try !bad.isTransposableNM(n: 1, m: 2))
        #expect(throws: TensorError.self) { try Tensor.zeros([3, 4]).isTransposableNM(n: 1, m: 2) }
        #expect(throws: TensorError.self) { try Tensor.zeros([4]).isTransposableNM(n: 1, m: 2) }
    }

    @Test func sparsityAndApplyMask() throws {
        #expect(Tensor(shape: [4], f32: [0, 1, -0.0, .nan]).sparsity() == 0.5)
        #expect(Tensor(shape: [2], bool: [false, true]).sparsity() == 0.5)
        #expect(Tensor(shape: [0], f32: []).sparsity() == 0)
        #expect(Tensor(shape: [0], f32: []).density() == 1)
        #expect(Tensor(shape: [4], f32: [0, 1, -0.0, .nan]).zeroCount() == 2)
        // Counted directly, not as 1 − 0.57.
        let kept = Tensor(shape: [100], bool: (0..<100).map { $0 >= 57 })
        #expect(kept.density() == 0.43)
        let w = Tensor(shape: [2, 2], f32: [1, 2, 3, 4])
        let m = Tensor(shape: [2, 2], bool: [true, false, false, true])
        #expect(try w.applyingMask(m) == Tensor(shape: [2, 2], f32: [1, 0, 0, 4]))
        #expect(try Tensor(shape: [2, 2], i32: [1, 2, 3, 4]).applyingMask(m) == Tensor(shape: [2, 2], i32: [1, 0, 0, 4]))
        #expect(throws: TensorError.self) { try w.applyingMask(Tensor(shape: [2, 2], f32: [1, 0, 0, 1])) }
        #expect(throws: TensorError.self) { try w.applyingMask(Tensor(shape: [4], bool: [true, true, true, true])) }
    }
}
