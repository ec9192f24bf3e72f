import Testing
@testable import TensorModule

/// 0, 1, 2, … as an f32 tensor of `shape`.
func iota(_ shape: [Int]) -> Tensor {
    let n = Tensor.elementCount(shape)
    return Tensor(shape: shape, f32: (0..<n).map { Float($0) })
}

@Suite struct TensorShapeTests {
    @Test func reshapeInfersOneExtent() throws {
        let t = try iota([2, 3]).reshaped([-1, 2])
        #expect(t.shape == [3, 2])
        #expect(t.floats() == [0, 1, 2, 3, 4, 5])
    }

    @Test func reshapeNamesBothShapesWhenCountsDiffer() {
        #expect(throws: TensorError("cannot reshape [2, 3] (6 elements) into [4, 2]")) {
            try iota([2, 3]).reshaped([4, 2])
        }
        #expect(throws: TensorError("cannot reshape [2, 3] (6 elements) into [4, -1]")) {
            try iota([2, 3]).reshaped([4, -1])
        }
    }

    @Test func reshapeInfersOnlyOneExtent() {
        #expect(throws: TensorError("reshape can infer only one extent, got [-1, -1]")) {
            try iota([2, 3]).reshaped([-1, -1])
        }
    }

    @Test func transposeOfAMatrixSwapsRowsAndColumns() throws {
        let t = try iota([2, 3]).transposed()
        #expect(t.shape == [3, 2])
        #expect(t.floats() == [0, 3, 1, 4, 2, 5])
    }

    @Test func blockedTransposeMovesEveryElement() throws {
        let (r, c) = (37, 70)
        let t = try iota([r, c]).transposed()
        let v = t.floats()
        for i in 0..<r {
            for j in 0..<c where v[j * r + i] != Float(i * c + j) {
                Issue.record("element (\(i), \(j)) misplaced")
            }
        }
    }

    @Test func transposeWithAxesPermutesARank3Tensor() throws {
        let x = iota([2, 3, 4])
        let t = try x.transposed([1, 2, 0])
        #expect(t.shape == [3, 4, 2])
        for i in 0..<3 {
            for j in 0..<4 {
                for k in 0..<2 {
                    #expect(try t.scalarElement([i, j, k]) == x.scalarElement([k, i, j]))
                }
            }
        }
        #expect(try x.transposed([-1, 0, 1]) == x.transposed([2, 0, 1]))
    }

    @Test func transposeRejectsANonPermutation() {
        #expect(throws: TensorError("transpose axes [0, 0] are not a permutation of [0, 1]")) {
            try iota([2, 3]).transposed([0, 0])
        }
    }

    @Test func flattenedIsOneDimensional() {
        #expect(iota([2, 3]).flattened().shape == [6])
    }

    @Test func squeezeRemovesSizeOneAxes() throws {
        #expect(try iota([1, 3, 1]).squeezed(axis: nil).shape == [3])
        #expect(try iota([1, 3, 1]).squeezed(axis: -1).shape == [1, 3])
    }

    @Test func squeezeRejectsAnAxisLongerThanOne() {
        #expect(throws: TensorError("cannot squeeze axis 1 of size 3; only size-1 axes can be squeezed")) {
            try iota([1, 3]).squeezed(axis: 1)
        }
    }

    @Test func unsqueezeMinusOneAppendsAnAxis() throws {
        #expect(try iota([2, 3]).unsqueezed(axis: -1).shape == [2, 3, 1])
        #expect(try iota([2, 3]).unsqueezed(axis: 0).shape == [1, 2, 3])
    }

    @Test func normalizeAxisCountsFromTheEnd() throws {
        #expect(try Tensor.normalizeAxis(-1, ndim: 2) == 1)
        #expect(throws: TensorError("axis 3 is out of range for a tensor with 2 dimensions")) {
            try Tensor.normalizeAxis(3, ndim: 2)
        }
        #expect(throws: TensorError("axis -3 is out of range for a tensor with 2 dimensions")) {
            try Tensor.normalizeAxis(-3, ndim: 2)
        }
    }

    @Test func concatJoinsAlongAnExistingAxis() throws {
        let a = iota([2, 2])
        let b = Tensor(shape: [2, 1], f32: [9, 8])
        let c = try Tensor.concat([a, b], axis: 1)
        #expect(c.shape == [2, 3])
        #expect(c.floats() == [0, 1, 9, 2, 3, 8])
        let d = try Tensor.concat([a, a], axis: 0)
        #expect(d.floats() == [0, 1, 2, 3, 0, 1, 2, 3])
    }

    @Test func concatPromotesMixedDtypes() throws {
        let c = try Tensor.concat([Tensor(shape: [1], i32: [1]), Tensor(shape: [1], bool: [true]),
                                   Tensor(shape: [1], f32: [2.5])], axis: 0)
        #expect(c.data == .f32([1, 1, 2.5]))
        let d = try Tensor.concat([Tensor(shape: [1], i32: [4]), Tensor(shape: [1], bool: [false])], axis: 0)
        #expect(d.data == .i32([4, 0]))
    }

    @Test func concatRejectsMismatchedExtents() {
        #expect(throws: TensorError("cannot concat [2, 3] and [3, 4] along axis 1: other extents differ")) {
            try Tensor.concat([iota([2, 3]), iota([3, 4])], axis: 1)
        }
    }

    @Test func stackAddsANewAxis() throws {
        let a = Tensor(shape: [2], f32: [1, 2]), b = Tensor(shape: [2], f32: [3, 4])
        let s0 = try Tensor.stack([a, b], axis: 0)
        #expect(s0.shape == [2, 2])
        #expect(s0.floats() == [1, 2, 3, 4])
        let s1 = try Tensor.stack([a, b], axis: -1)
        #expect(s1.shape == [2, 2])
        #expect(s1.floats() == [1, 3, 2, 4])
    }

    @Test func stackRejectsDifferentShapes() {
        #expect(throws: TensorError("cannot stack [2] and [3]: shapes must be equal")) {
            try Tensor.stack([iota([2]), iota([3])], axis: 0)
        }
    }

    @Test func tileRepeatsAlongEachAxis() throws {
        #expect(try Tensor(shape: [2], f32: [1, 2]).tiled([3]).floats() == [1, 2, 1, 2, 1, 2])
        let t = try iota([2, 2]).tiled([2, 1])
        #expect(t.shape == [4, 2])
        #expect(t.floats() == [0, 1, 2, 3, 0, 1, 2, 3])
        let u = try Tensor(shape: [2], f32: [1, 2]).tiled([2, 2])
        #expect(u.shape == [2, 4])
        #expect(u.floats() == [1, 2, 1, 2, 1, 2, 1, 2])
    }
}
