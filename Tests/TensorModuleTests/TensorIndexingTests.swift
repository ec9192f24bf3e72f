import Testing
@testable import TensorModule

@Suite struct TensorIndexingTests {
    /// [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]
    let m = iota([3, 4])

    @Test func anIntegerRemovesItsAxis() throws {
        #expect(try m.indexed([.at(1)]) == Tensor(shape: [4], f32: [4, 5, 6, 7]))
        #expect(try m.indexed([.all, .at(2)]) == Tensor(shape: [3], f32: [2, 6, 10]))
        let s = try m.indexed([.at(2), .at(3)])
        #expect(s.shape == [])
        #expect(s.floats() == [11])
    }

    @Test func negativeIntegersCountFromTheEnd() throws {
        #expect(try m.indexed([.at(-1), .at(-4)]).floats() == [8])
    }

    @Test func outOfBoundsIndicesNameTheAxis() {
        #expect(throws: TensorError("index 5 is out of bounds for axis 0 with size 3")) { try m.indexed([.at(5)]) }
        #expect(throws: TensorError("index -5 is out of bounds for axis 1 with size 4")) {
            try m.indexed([.all, .at(-5)])
        }
    }

    @Test func tooManyIndicesAreAnError() {
        #expect(throws: TensorError("too many indices: 3 for a tensor with 2 dimensions")) {
            try m.indexed([.at(0), .at(0), .at(0)])
        }
    }

    @Test func slicesFollowPython() throws {
        func positions(_ start: Int?, _ stop: Int?, _ step: Int?) throws -> [Int] {
            try Tensor.slicePositions(start: start, stop: stop, step: step, size: 5)
        }
        // Python: list(range(5))[a:b:c]
        #expect(try positions(1, 4, nil) == [1, 2, 3])
        #expect(try positions(nil, nil, 2) == [0, 2, 4])
        #expect(try positions(nil, nil, -1) == [4, 3, 2, 1, 0])
        #expect(try positions(nil, nil, -2) == [4, 2, 0])
        #expect(try positions(3, 0, -1) == [3, 2, 1])
        #expect(try positions(-2, nil, nil) == [3, 4])
        #expect(try positions(-100, 100, nil) == [0, 1, 2, 3, 4])
        #expect(try positions(nil, -10, nil) == [])
        #expect(try positions(10, nil, nil) == [])
        #expect(try positions(-10, nil, -1) == [])
        #expect(try positions(4, -10, -1) == [4, 3, 2, 1, 0])
        #expect(try positions(2, 2, nil) == [])
    }

    @Test func sliceStepZeroIsAnError() {
        #expect(throws: TensorError("slice step cannot be zero")) { try m.indexed([.slice(start: nil, stop: nil, step: 0)]) }
    }

    @Test func slicesKeepTheirAxes() throws {
        let r = try m.indexed([.slice(start: 1, stop: nil, step: nil), .slice(start: nil, stop: nil, step: -2)])
        #expect(r == Tensor(shape: [2, 2], f32: [7, 5, 11, 9]))
        #expect(try m.indexed([.slice(start: 5, stop: nil, step: nil)]).shape == [0, 4])
    }

    @Test func missingTrailingIndicesTakeWholeAxes() throws {
        let x = iota([2, 3, 4])
        #expect(try x.indexed([.at(1)]) == x.indexed([.at(1), .all, .all]))
        #expect(try x.indexed([.at(1)]).shape == [3, 4])
    }

    @Test func gatherPicksPositionsInOrder() throws {
        let r = try m.indexed([.gather([2, 0, -1])])
        #expect(r.shape == [3, 4])
        #expect(r.floats() == [8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11])
        let c = try m.indexed([.at(1), .gather([3, 0])])
        #expect(c == Tensor(shape: [2], f32: [7, 4]))
    }

    @Test func onlyOneGatherPerIndex() {
        #expect(throws: TensorError("at most one index list or tensor per index, got 2")) {
            try m.indexed([.gather([0]), .gather([1])])
        }
    }

    @Test func indexingAZeroDimensionalTensorWithNothingCopiesIt() throws {
        #expect(try Tensor.scalar(2).indexed([]) == Tensor.scalar(2))
    }

    @Test func assigningAScalarFillsTheRegion() throws {
        var t = m
        try t.assign([.at(0), .all], Tensor.scalar(0))
        #expect(t.floats() == [0, 0, 0, 0, 4, 5, 6, 7, 8, 9, 10, 11])
        #expect(m.floats()[0...3] == [0, 1, 2, 3])
    }

    @Test func assignedValuesBroadcastToTheRegion() throws {
        var t = Tensor.zeros([3, 4])
        try t.assign([.slice(start: 1, stop: nil, step: nil), .slice(start: nil, stop: nil, step: 2)],
                     Tensor(shape: [2], f32: [7, 8]))
        #expect(t.floats() == [0, 0, 0, 0, 7, 0, 8, 0, 7, 0, 8, 0])
    }

    @Test func assignedValuesTakeTheTargetsDtype() throws {
        var t = Tensor.zeros([3], dtype: .i32)
        try t.assign([.gather([0, 2])], Tensor(shape: [2], f32: [1.9, -2.9]))
        #expect(t.data == .i32([1, 0, -2]))
    }

    @Test func assigningAMisshapedValueIsAnError() {
        var t = m
        #expect(throws: TensorError("shape mismatch in `=`: [3] and [4] cannot broadcast")) {
            try t.assign([.at(0)], Tensor(shape: [3], f32: [1, 2, 3]))
        }
    }

    @Test func maskSelectsInRowMajorOrder() throws {
        let mask = try Tensor.binary(.gt, m, scalar: 8, scalarOnLeft: false)
        #expect(try m.masked(mask) == Tensor(shape: [3], f32: [9, 10, 11]))
    }

    @Test func maskMustBeBoolOfTheSameShape() {
        #expect(throws: TensorError("a mask index must be a bool tensor, got f32")) { try m.masked(m) }
        #expect(throws: TensorError("mask shape [2] does not match tensor shape [3, 4]")) {
            try m.masked(Tensor(shape: [2], bool: [true, false]))
        }
    }

    @Test func maskAssignmentTakesOneValueOrOnePerTrue() throws {
        var t = Tensor(shape: [4], f32: [1, -2, 3, -4])
        let neg = try Tensor.binary(.lt, t, scalar: 0, scalarOnLeft: false)
        try t.assignMasked(neg, Tensor.scalar(0))
        #expect(t.floats() == [1, 0, 3, 0])
        try t.assignMasked(neg, Tensor(shape: [2], f32: [9, 8]))
        #expect(t.floats() == [1, 9, 3, 8])
        #expect(throws: TensorError("mask assignment needs one value or a 1-D tensor of 2 values, got shape [3]")) {
            try t.assignMasked(neg, Tensor(shape: [3], f32: [1, 2, 3]))
        }
    }

    @Test func scalarElementReadsOneElement() throws {
        #expect(try m.scalarElement([1, -1]) == 7)
        #expect(throws: TensorError("expected 2 indices for a tensor of shape [3, 4], got 1")) { try m.scalarElement([1]) }
    }

    /// The contiguous-run fast paths (`indexed(at:)`, integers then a unit-step slice) agree
    /// with the general selection on every index of those shapes, including empty and
    /// clamped slices and zero-length axes.
    @Test func contiguousFastPathsAgreeWithTheGeneralSelection() throws {
        for shape in [[2, 3, 4], [5], [3, 0, 2], [1, 1, 3]] {
            let t = iota(shape)
            for i in -shape[0]..<shape[0] {
                let general = try t.selecting(positions: t.selection([.at(i)]).positions,
                                              resultShape: t.selection([.at(i)]).resultShape)
                #expect(try t.indexed(at: i) == general)
                #expect(try t.indexed([.at(i)]) == general)
                guard shape.count > 1 else { continue }
                for (start, stop) in [(nil, nil), (0, 1), (1, -1), (-2, 100), (2, 1), (-100, nil)] as [(Int?, Int?)] {
                    let idx: [TensorIndex] = [.at(i), .slice(start: start, stop: stop, step: nil)]
                    let sel = try t.selection(idx)
                    #expect(try t.indexed(idx) == t.selecting(positions: sel.positions, resultShape: sel.resultShape),
                            "shape \(shape), index \(idx)")
                }
            }
        }
        #expect(throws: TensorError("index 3 is out of bounds for axis 0 with size 3")) { try m.indexed(at: 3) }
    }
}
