import Testing
import TensorModule
@testable import Pruning

@Suite struct MaskSelectionTests {
    /// Scores from rows of numbers.
    func scores(_ rows: [[Double]]) -> ScoreMatrix {
        ScoreMatrix(rows: rows.count, columns: rows[0].count, values: rows.flatMap { $0 })
    }

    func scores(_ t: Tensor) -> ScoreMatrix {
        ScoreMatrix(rows: t.shape[0], columns: t.shape[1], values: t.doubles())
    }

    @Test func rowSparsityKeepsTheLargestOfEachRow() throws {
        // Row 0 keeps 4 and 3, row 1 keeps 9 and 6.
        let mask = try MaskSelection.keepMask(scores([[3, 1, 4, 1.5], [5, 9, 2, 6]]), target: .sparsity(0.5))
        #expect(mask == TestLayers.mask([[1, 0, 1, 0], [0, 1, 0, 1]]))
    }

    @Test func layerSparsityCountsOverTheWholeMatrix() throws {
        // The 4 smallest of all 8 are 1, 1.5, 2 and 3: row 0 keeps only 4, row 1 keeps 5, 9, 6.
        let mask = try MaskSelection.keepMask(scores([[3, 1, 4, 1.5], [5, 9, 2, 6]]), target: .sparsity(0.5), scope: .layer)
        #expect(mask == TestLayers.mask([[0, 0, 1, 0], [1, 1, 0, 1]]))
    }

    @Test func nmKeepsTheLargestOfEachGroup() throws {
        let mask = try MaskSelection.keepMask(scores([[3, 1, 4, 1.5, 0, 7, 8, 2]]), target: .nm(n: 2, m: 4))
        #expect(mask == TestLayers.mask([[1, 0, 1, 0, 0, 1, 1, 0]]))
        let one = try MaskSelection.keepMask(scores([[3, 1, 4, 1.5, 0, 7, 8, 2]]), target: .nm(n: 1, m: 2))
        #expect(one == TestLayers.mask([[1, 0, 1, 0, 0, 1, 1, 0]]))
        let three = try MaskSelection.keepMask(scores([[3, 1, 4, 1.5, 0, 7, 8, 2]]), target: .nm(n: 3, m: 4))
        #expect(three == TestLayers.mask([[1, 0, 1, 1, 0, 1, 1, 1]]))
    }

    @Test func lowerIndexIsKeptOnTies() throws {
        let row = try MaskSelection.keepMask(scores([[1, 2, 2, 2, 0, 2]]), target: .sparsity(0.5))
        #expect(row == TestLayers.mask([[0, 1, 1, 1, 0, 0]]))
        let flat = try MaskSelection.keepMask(scores([[1, 1], [1, 1]]), target: .sparsity(0.25), scope: .layer)
        #expect(flat == TestLayers.mask([[1, 1], [1, 0]]))
        let groups = try MaskSelection.keepMask(scores([[5, 5, 5, 5, 0, 1, 1, 1]]), target: .nm(n: 2, m: 4))
        #expect(groups == TestLayers.mask([[1, 1, 0, 0, 0, 1, 1, 0]]))
        // -0 and 0 are the same score.
        let zeros = try MaskSelection.keepMask(scores([[-0.0, 0, -0.0, 0]]), target: .sparsity(0.5))
        #expect(zeros == TestLayers.mask([[1, 1, 0, 0]]))
    }

    @Test func nanScoresAreRemovedFirst() throws {
        let mask = try MaskSelection.keepMask(scores([[.nan, -5, 1, .nan]]), target: .sparsity(0.5))
        #expect(mask == TestLayers.mask([[0, 1, 1, 0]]))
        let group = try MaskSelection.keepMask(scores([[.nan, -.infinity, 0, .nan]]), target: .nm(n: 2, m: 4))
        #expect(group == TestLayers.mask([[0, 1, 1, 0]]))
    }

    @Test(arguments: [0.0, 0.1, 0.3, 0.5, 0.57, 0.9, 0.99])
    func countsAreExactPerRowAndPerMatrix(_ s: Double) throws {
        let w = TestLayers.weight(37, 100, seed: 7)
        let removed = Int((s * 100 + 1e-9).rounded(.down))
        let rows = try MaskSelection.keepMask(scores(w), target: .sparsity(s))
        #expect(TestLayers.keptPerRow(rows) == Array(repeating: 100 - removed, count: 37))
        let layer = try MaskSelection.keepMask(scores(w), target: .sparsity(s), scope: .layer)
        let removedOverall = Int((s * 3700 + 1e-9).rounded(.down))
        #expect(layer.zeroCount() == removedOverall)
        if s == 0.57 { #expect(removed == 57) }
    }

    @Test(arguments: [(1, 2), (2, 4), (4, 8), (3, 8), (8, 16)])
    func countsAreExactPerGroup(_ pattern: (Int, Int)) throws {
        let (n, m) = pattern
        let mask = try MaskSelection.keepMask(scores(TestLayers.weight(9, 64, seed: 3)), target: .nm(n: n, m: m))
        let b = TestLayers.bools(mask)
        for r in 0..<9 {
            for g in 0..<(64 / m) {
                #expect((0..<m).filter { b[r * 64 + g * m + $0] }.count == n)
            }
        }
    }

    /// On f32 scores (which f64 holds exactly) the f64 selection is TensorModule's.
    @Test(arguments: [0.25, 0.5, 0.7])
    func agreesWithTensorModuleSelection(_ s: Double) throws {
        for (rows, columns) in [(12, 40), (3, 5000)] {
            let t = TestLayers.tiedScores(rows, columns, levels: 9, seed: UInt64(columns))
            #expect(try MaskSelection.keepMask(scores(t), target: .sparsity(s)) == t.maskTopK(keep: 1 - s, axis: 1))
            #expect(try MaskSelection.keepMask(scores(t), target: .sparsity(s), scope: .layer) == t.maskTopK(keep: 1 - s, axis: nil))
        }
        let t = TestLayers.tiedScores(12, 40, levels: 5, seed: 11)
        for (n, m) in [(1, 2), (2, 4), (3, 8)] {
            #expect(try MaskSelection.keepMask(scores(t), target: .nm(n: n, m: m)) == t.maskNM(n: n, m: m, axis: 1))
        }
    }

    @Test func scoresCloserThanF32AreStillOrdered() throws {
        // 1 + 2⁻⁴⁰ rounds to 1 in f32; f64 keeps the later entry above the earlier one.
        let mask = try MaskSelection.keepMask(scores([[1, 1 + 0x1p-40]]), target: .sparsity(0.5))
        #expect(mask == TestLayers.mask([[0, 1]]))
    }

    @Test func targetNeedsExactlyOneOfSparsityAndNM() throws {
        #expect(throws: PruningError("give either sparsity or nm, not both")) {
            try PruningTarget(sparsity: 0.5, nm: (2, 4))
        }
        #expect(throws: PruningError("give sparsity: s (the fraction removed) or nm: [n, m] (n kept of every m)")) {
            try PruningTarget(sparsity: nil, nm: nil)
        }
        #expect(try PruningTarget(sparsity: 0, nm: nil) == .sparsity(0))
        #expect(try PruningTarget(sparsity: nil, nm: (2, 4)) == .nm(n: 2, m: 4))
    }

    @Test(arguments: [1.0, 1.5, -0.1, Double.nan])
    func sparsityOutsideTheUnitIntervalIsAnError(_ s: Double) {
        #expect(throws: PruningError.self) { try PruningTarget(sparsity: s, nm: nil) }
        #expect(throws: PruningError.self) {
            try MaskSelection.keepMask(ScoreMatrix(rows: 1, columns: 2, values: [1, 2]), target: .sparsity(s))
        }
    }

    @Test func sparsityMessageSaysTheRange() {
        #expect(throws: PruningError("sparsity must be in [0, 1), got 1.5")) { try PruningTarget(sparsity: 1.5, nm: nil) }
        #expect(throws: PruningError("sparsity must be in [0, 1), got 1")) { try PruningTarget(sparsity: 1, nm: nil) }
    }

    @Test(arguments: [(0, 4), (5, 4), (2, 0), (-1, 2)])
    func nmNeedsNBetweenOneAndM(_ pattern: (Int, Int)) {
        let (n, m) = pattern
        #expect(throws: PruningError("nm: [\(n), \(m)] keeps n of every m and needs 0 < n ≤ m, got n = \(n), m = \(m)")) {
            try PruningTarget(sparsity: nil, nm: (n, m))
        }
    }

    @Test func nmThatDoesNotDivideTheInputsListsThePatternsThatFit() {
        let s = ScoreMatrix(rows: 64, columns: 172, values: Array(repeating: 1, count: 64 * 172))
        let expected = PruningError("nm: [4, 8] does not fit a layer with 172 inputs (shape [64, 172]: 172 is not a "
                                    + "multiple of 8); patterns that fit: 1:2, 2:4", kind: .shape)
        #expect(throws: expected) { try MaskSelection.keepMask(s, target: .nm(n: 4, m: 8)) }
        #expect(throws: expected) { try PruningTarget.nm(n: 4, m: 8).check(shape: [64, 172]) }
        #expect(throws: PruningError("nm: [2, 4] does not fit a layer with 7 inputs (shape [3, 7]: 7 is not a "
                                     + "multiple of 4); none of 1:2, 2:4, 4:8, 8:16 fits", kind: .shape)) {
            try PruningTarget.nm(n: 2, m: 4).check(shape: [3, 7])
        }
        // Sparsity fits any shape.
        #expect(throws: Never.self) { try PruningTarget.sparsity(0.5).check(shape: [3, 7]) }
    }

    @Test func layerScopeIsOnlyForSparsity() {
        #expect(throws: PruningError.self) {
            try MaskSelection.keepMask(ScoreMatrix(rows: 1, columns: 4, values: [1, 2, 3, 4]), target: .nm(n: 2, m: 4), scope: .layer)
        }
    }

    @Test func emptyAndZeroSparsityMasksKeepEverything() throws {
        let none = try MaskSelection.keepMask(ScoreMatrix(rows: 0, columns: 4, values: []), target: .sparsity(0.5))
        #expect(none.shape == [0, 4])
        let all = try MaskSelection.keepMask(scores([[3, 1, 2]]), target: .sparsity(0))
        #expect(all == TestLayers.mask([[1, 1, 1]]))
        let most = try MaskSelection.keepMask(scores([[3, 1, 2]]), target: .sparsity(0.99))
        #expect(most == TestLayers.mask([[1, 0, 0]]))
    }
}
