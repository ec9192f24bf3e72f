import Foundation
import Testing
@testable import TensorModule

/// Deterministic values with many ties (a linear congruential sequence folded into 17 levels).
private func tiedValues(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed
    return (0..<count).map { _ in
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Float(Int((state >> 33) % 17) - 8) / 4
    }
}

@Suite struct TensorOrderTests {
    let nan = Float.nan

    @Test func sortedIsAscendingOrDescendingAlongAnyAxis() throws {
        let t = Tensor(shape: [2, 3], f32: [3, 1, 2, 0, 5, -1])
        #expect(try t.sorted(axis: 1) == Tensor(shape: [2, 3], f32: [1, 2, 3, -1, 0, 5]))
        #expect(try t.sorted(axis: -1, descending: true) == Tensor(shape: [2, 3], f32: [3, 2, 1, 5, 0, -1]))
        #expect(try t.sorted(axis: 0) == Tensor(shape: [2, 3], f32: [0, 1, -1, 3, 5, 2]))
        #expect(try t.argsort(axis: 0) == Tensor(shape: [2, 3], i32: [1, 0, 1, 0, 1, 0]))
    }

    @Test func argsortKeepsLowerIndexFirstOnTiesInBothDirections() throws {
        let t = Tensor(shape: [6], f32: [3, 1, 3, 1, 2, 3])
        #expect(try t.argsort(axis: 0) == Tensor(shape: [6], i32: [1, 3, 4, 0, 2, 5]))
        #expect(try t.argsort(axis: 0, descending: true) == Tensor(shape: [6], i32: [0, 2, 5, 4, 1, 3]))
        // -0 and 0 are equal, so they keep their order too.
        let zeros = Tensor(shape: [3], f32: [0, -0.0, 0])
        #expect(try zeros.argsort(axis: 0) == Tensor(shape: [3], i32: [0, 1, 2]))
        #expect(try zeros.argsort(axis: 0, descending: true) == Tensor(shape: [3], i32: [0, 1, 2]))
    }

    @Test func nanSortsLastInBothDirections() throws {
        let t = Tensor(shape: [5], f32: [2, nan, -Float.infinity, nan, 1])
        #expect(try t.argsort(axis: 0) == Tensor(shape: [5], i32: [2, 4, 0, 1, 3]))
        #expect(try t.argsort(axis: 0, descending: true) == Tensor(shape: [5], i32: [0, 4, 2, 1, 3]))
        let top = try t.topk(2, axis: 0)
        #expect(top.indices == Tensor(shape: [2], i32: [0, 4]))
    }

    @Test func integerAndBoolTensorsSortByValue() throws {
        let ints = Tensor(shape: [5], i32: [Int32.max, -3, Int32.min, 0, -3])
        #expect(try ints.sorted(axis: 0) == Tensor(shape: [5], i32: [Int32.min, -3, -3, 0, Int32.max]))
        #expect(try ints.argsort(axis: 0, descending: true) == Tensor(shape: [5], i32: [0, 3, 1, 4, 2]))
        let mask = Tensor(shape: [4], bool: [true, false, true, false])
        #expect(try mask.sorted(axis: 0) == Tensor(shape: [4], bool: [false, false, true, true]))
        #expect(try mask.argsort(axis: 0, descending: true) == Tensor(shape: [4], i32: [0, 2, 1, 3]))
    }

    @Test func longSlicesMatchAStableReferenceSort() throws {
        // Long enough for the radix path, with many ties, along both axes of a matrix.
        let rows = 3, cols = 1000
        let values = tiedValues(rows * cols, seed: 42)
        let t = Tensor(shape: [rows, cols], f32: values)
        for descending in [false, true] {
            let order = try t.argsort(axis: 1, descending: descending)
            guard case .i32(let indices) = order.data else { Issue.record("argsort is not i32"); return }
            for r in 0..<rows {
                let row = Array(values[(r * cols)..<((r + 1) * cols)])
                let expected = (0..<cols).sorted { i, j in
                    row[i] != row[j] ? (descending ? row[i] > row[j] : row[i] < row[j]) : i < j
                }
                #expect(indices[(r * cols)..<((r + 1) * cols)].map { Int($0) } == expected)
            }
        }
        let columns = try Tensor(shape: [cols, rows], f32: values).argsort(axis: 0)
        guard case .i32(let byColumn) = columns.data else { Issue.record("argsort is not i32"); return }
        for c in 0..<rows {
            let column = (0..<cols).map { values[$0 * rows + c] }
            let expected = (0..<cols).sorted { i, j in column[i] != column[j] ? column[i] < column[j] : i < j }
            #expect((0..<cols).map { Int(byColumn[$0 * rows + c]) } == expected)
        }
    }

    @Test func topkReturnsLargestInDescendingOrderWithLowerIndexOnTies() throws {
        let t = Tensor(shape: [2, 4], f32: [1, 5, 5, 2, 0, -1, 7, 0])
        let (values, indices) = try t.topk(2, axis: 1)
        #expect(values == Tensor(shape: [2, 2], f32: [5, 5, 7, 0]))
        #expect(indices == Tensor(shape: [2, 2], i32: [1, 2, 2, 0]))
        let byColumn = try t.topk(1, axis: 0)
        #expect(byColumn.values == Tensor(shape: [1, 4], f32: [1, 5, 7, 2]))
        #expect(byColumn.indices == Tensor(shape: [1, 4], i32: [0, 0, 1, 0]))
        #expect(try t.topk(0, axis: 1).values.shape == [2, 0])
        #expect(try t.topk(4, axis: 1).indices == t.argsort(axis: 1, descending: true))
    }

    @Test func topkRejectsKOutsideTheAxis() {
        let t = Tensor(shape: [2, 4], f32: [Float](repeating: 0, count: 8))
        #expect(throws: TensorError("topk k must be between 0 and 4 (the length of axis 1), got 5")) {
            try t.topk(5, axis: 1)
        }
        #expect(throws: TensorError("topk k must be between 0 and 2 (the length of axis -2), got -1")) {
            try t.topk(-1, axis: -2)
        }
    }

    @Test func kthvalueIsKthSmallestOneBased() throws {
        let t = Tensor(shape: [2, 4], f32: [4, 1, 3, 1, 9, 8, 7, 6])
        let first = try t.kthvalue(1, axis: 1)
        #expect(first.values == Tensor(shape: [2], f32: [1, 6]))
        #expect(first.indices == Tensor(shape: [2], i32: [1, 3]))
        let second = try t.kthvalue(2, axis: 1)
        #expect(second.values == Tensor(shape: [2], f32: [1, 7]))
        #expect(second.indices == Tensor(shape: [2], i32: [3, 2]))
        let columns = try t.kthvalue(2, axis: 0)
        #expect(columns.values == Tensor(shape: [4], f32: [9, 8, 7, 6]))
        #expect(throws: TensorError("kthvalue k must be between 1 and 4 (the length of axis 1), got 0")) {
            try t.kthvalue(0, axis: 1)
        }
    }

    @Test func quantileInterpolatesLinearly() throws {
        let t = Tensor(shape: [4], f32: [4, 1, 3, 2])
        #expect(try t.quantile(0.5, axis: nil) == Tensor(shape: [], f32: [2.5]))
        #expect(try t.quantile(0.25, axis: nil) == Tensor(shape: [], f32: [1.75]))
        #expect(try t.quantile(0, axis: 0) == Tensor(shape: [], f32: [1]))
        #expect(try t.quantile(1, axis: 0) == Tensor(shape: [], f32: [4]))
        let m = Tensor(shape: [2, 3], i32: [1, 2, 3, 10, 30, 20])
        #expect(try m.quantile(0.5, axis: 1) == Tensor(shape: [2], f32: [2, 20]))
        #expect(try m.quantile(0.5, axis: 0) == Tensor(shape: [3], f32: [5.5, 16, 11.5]))
        #expect(try m.quantile(0.5, axis: nil) == Tensor(shape: [], f32: [6.5]))
    }

    @Test func quantileOfLongSlicesMatchesSortedReference() throws {
        // Long slices exercise the radix selection; 1001 values give exact and fractional ranks.
        let values = tiedValues(2 * 1001, seed: 7).map { $0 * 1000 + 0.125 }
        let t = Tensor(shape: [2, 1001], f32: values)
        let ints = Tensor(shape: [2, 1001], i32: values.map { Int32($0) })
        for q in [0.0, 0.1, 0.333, 0.5, 0.999, 1.0] {
            let result = try t.quantile(q, axis: 1).floats()
            let intResult = try ints.quantile(q, axis: -1).floats()
            for r in 0..<2 {
                let sortedRow = values[(r * 1001)..<((r + 1) * 1001)].map(Double.init).sorted()
                let position = q * 1000, low = Int(position), high = min(low + 1, 1000)
                let t = position - Double(low)
                let expected = sortedRow[low] + (sortedRow[high] - sortedRow[low]) * t
                #expect(abs(Double(result[r]) - expected) <= 1e-6 * abs(expected) + 1e-6)
                let sortedInts = sortedRow.map { Double(Int32($0)) }
                let expectedInt = sortedInts[low] + (sortedInts[high] - sortedInts[low]) * t
                #expect(abs(Double(intResult[r]) - expectedInt) <= 1e-6 * abs(expectedInt) + 1e-6)
            }
        }
    }

    @Test func sortedKeepsNegativeZeroAndNaNElements() throws {
        let t = Tensor(shape: [4], f32: [nan, 0, -0.0, -1])
        let values = try t.sorted(axis: 0).floats()
        #expect(values[0] == -1 && values[1].sign == .plus && values[2].sign == .minus && values[3].isNaN)
    }

    @Test func quantileIsNaNWhenASliceHoldsNaN() throws {
        let t = Tensor(shape: [2, 2], f32: [1, nan, 1, 2])
        let q = try t.quantile(0, axis: 1).floats()
        #expect(q[0].isNaN && q[1] == 1)
    }

    @Test func quantileRejectsBadArguments() {
        let t = Tensor(shape: [2, 2], f32: [1, 2, 3, 4])
        #expect(throws: TensorError("quantile q must be between 0 and 1, got 1.5")) {
            try t.quantile(1.5, axis: nil)
        }
        #expect(throws: TensorError("quantile needs a non-empty axis, got shape [0]")) {
            try Tensor(shape: [0], f32: []).quantile(0.5, axis: nil)
        }
        #expect(throws: TensorError("axis 2 is out of range for a tensor with 2 dimensions")) {
            try t.quantile(0.5, axis: 2)
        }
    }

    @Test func uniqueCountsSortedDistinctValues() throws {
        let t = Tensor(shape: [2, 4], f32: [3, 1, nan, 3, -0.0, 0, nan, 1])
        let (values, counts) = t.unique()
        let v = values.floats()
        #expect(values.shape == [4] && Array(v[0..<3]) == [0, 1, 3] && v[3].isNaN)
        #expect(counts == [2, 2, 2, 2])
        let ints = Tensor(shape: [5], i32: [2, -1, 2, 2, 7]).unique()
        #expect(ints.values == Tensor(shape: [3], i32: [-1, 2, 7]) && ints.counts == [1, 3, 1])
        let empty = Tensor(shape: [0], f32: []).unique()
        #expect(empty.values.shape == [0] && empty.counts.isEmpty)
    }

    @Test func axisOutOfRangeIsReported() {
        let t = Tensor(shape: [2, 2], f32: [1, 2, 3, 4])
        #expect(throws: TensorError("axis 3 is out of range for a tensor with 2 dimensions")) {
            try t.sorted(axis: 3)
        }
        #expect(throws: TensorError("axis -3 is out of range for a tensor with 2 dimensions")) {
            try t.argsort(axis: -3)
        }
        #expect(throws: TensorError("axis 0 is out of range for a tensor with 0 dimensions")) {
            try Tensor(shape: [], f32: [1]).sorted(axis: 0)
        }
    }

    @Test func emptyAxesSortToEmptyTensors() throws {
        let t = Tensor(shape: [0, 3], f32: [])
        #expect(try t.sorted(axis: 0).shape == [0, 3])
        #expect(try t.argsort(axis: 1).shape == [0, 3])
        #expect(try Tensor(shape: [2, 0], f32: []).topk(0, axis: 1).indices.shape == [2, 0])
    }

    @Test func orderStatisticsMatchNumPyFixtures() throws {
        let f = try LinalgFixtures.load()
        let data = try f.tensor("order_data")
        // Argsort and interpolated quantiles of quarter-integers: exact in f32 but for
        // the final rounding of the interpolation, hence rtol 1e-6.
        linalgExpectClose(try data.argsort(axis: 1), try f.entry("argsort_axis1"), rtol: 0, atol: 0)
        linalgExpectClose(try data.argsort(axis: 0), try f.entry("argsort_axis0"), rtol: 0, atol: 0)
        for q in [0.0, 0.25, 0.3, 0.5, 0.9, 1.0] {
            let key = "\(q)".replacingOccurrences(of: ".", with: "_")
            linalgExpectClose(try data.quantile(q, axis: nil), try f.entry("quantile_all_" + key), rtol: 1e-6, atol: 1e-7)
            linalgExpectClose(try data.quantile(q, axis: 1), try f.entry("quantile_axis1_" + key), rtol: 1e-6, atol: 1e-7)
            linalgExpectClose(try data.quantile(q, axis: 0), try f.entry("quantile_axis0_" + key), rtol: 1e-6, atol: 1e-7)
        }
        let (values, counts) = data.unique()
        linalgExpectClose(values, try f.entry("unique_values"), rtol: 0, atol: 0)
        #expect(counts.map(Double.init) == (try f.entry("unique_counts").data))
    }
}
