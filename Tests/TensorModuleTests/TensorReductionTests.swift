import Testing
@testable import TensorModule

@Suite struct TensorReductionTests {
    /// [[1, 2, 3], [4, 5, 6]]
    let m = Tensor(shape: [2, 3], f32: [1, 2, 3, 4, 5, 6])

    @Test func sumOverAllAxesIsZeroDimensional() throws {
        let s = try m.reduce(.sum, axes: nil, keepdims: false)
        #expect(s.shape == [])
        #expect(s.floats() == [21])
        #expect(try m.reduce(.sum, axes: nil, keepdims: true).shape == [1, 1])
    }

    @Test func sumAlongOneAxis() throws {
        #expect(try m.reduce(.sum, axes: [0], keepdims: false) == Tensor(shape: [3], f32: [5, 7, 9]))
        #expect(try m.reduce(.sum, axes: [-1], keepdims: true) == Tensor(shape: [2, 1], f32: [6, 15]))
    }

    @Test func nonAdjacentAxesReduceTogether() throws {
        let x = iota([2, 3, 2])
        let s = try x.reduce(.sum, axes: [0, 2], keepdims: false)
        // axis-1 slices: {0,1,6,7}, {2,3,8,9}, {4,5,10,11}
        #expect(s.floats() == [14, 22, 30])
        #expect(try x.reduce(.max, axes: [2, 0], keepdims: true).shape == [1, 3, 1])
    }

    @Test func repeatedAxesAreRejected() {
        #expect(throws: TensorError("axis 1 is repeated in the reduction axes")) {
            try m.reduce(.sum, axes: [1, -1], keepdims: false)
        }
    }

    @Test func meanVarAndStdArePopulationStatistics() throws {
        let v = Tensor(shape: [4], f32: [1, 2, 3, 4])
        #expect(try v.reduce(.mean, axes: nil, keepdims: false).floats() == [2.5])
        #expect(try v.reduce(.var_, axes: nil, keepdims: false).floats() == [1.25])
        #expect(try v.reduce(.std, axes: nil, keepdims: false).floats() == [Float(1.25.squareRoot())])
    }

    @Test func maxMinAndProdKeepValues() throws {
        #expect(try m.reduce(.max, axes: [1], keepdims: false).floats() == [3, 6])
        #expect(try m.reduce(.min, axes: [0], keepdims: false).floats() == [1, 2, 3])
        #expect(try m.reduce(.prod, axes: nil, keepdims: false).floats() == [720])
        #expect(try Tensor(shape: [3], i32: [4, -2, 9]).reduce(.max, axes: nil, keepdims: false).data == .i32([9]))
    }

    @Test func maxPropagatesNaN() throws {
        let t = Tensor(shape: [3], f32: [1, .nan, 3])
        #expect(try t.reduce(.max, axes: nil, keepdims: false).floats()[0].isNaN)
        #expect(try t.reduce(.argmax, axes: nil, keepdims: false).data == .i32([1]))
    }

    @Test func argmaxReturnsTheFirstOccurrence() throws {
        let t = Tensor(shape: [4], f32: [1, 3, 3, 0])
        #expect(try t.reduce(.argmax, axes: nil, keepdims: false).data == .i32([1]))
        #expect(try t.reduce(.argmin, axes: nil, keepdims: false).data == .i32([3]))
    }

    @Test func argmaxWithoutAxisIsAFlatIndex() throws {
        let t = Tensor(shape: [2, 2], f32: [1, 2, 9, 0])
        #expect(try t.reduce(.argmax, axes: nil, keepdims: false).data == .i32([2]))
        #expect(try t.reduce(.argmax, axes: [1], keepdims: false).data == .i32([1, 0]))
    }

    @Test func argmaxTakesOneAxis() {
        #expect(throws: TensorError("argmax takes one axis or none, got 2")) {
            try m.reduce(.argmax, axes: [0, 1], keepdims: false)
        }
    }

    @Test func maxOfAnEmptyTensorIsAnError() {
        #expect(throws: TensorError("max of an empty tensor")) {
            try Tensor.zeros([0]).reduce(.max, axes: nil, keepdims: false)
        }
        #expect(throws: TensorError("argmin of an empty tensor")) {
            try Tensor.zeros([0, 2]).reduce(.argmin, axes: [0], keepdims: false)
        }
    }

    @Test func emptyReductionsHaveTheirIdentities() throws {
        let e = Tensor.zeros([0])
        #expect(try e.reduce(.sum, axes: nil, keepdims: false).floats() == [0])
        #expect(try e.reduce(.prod, axes: nil, keepdims: false).floats() == [1])
        #expect(try e.reduce(.mean, axes: nil, keepdims: false).floats()[0].isNaN)
        #expect(try e.reduce(.all, axes: nil, keepdims: false).data == .bool([true]))
        #expect(try e.reduce(.any, axes: nil, keepdims: false).data == .bool([false]))
    }

    @Test func integerSumsStayIntegers() throws {
        #expect(try Tensor(shape: [3], i32: [1, 2, 3]).reduce(.sum, axes: nil, keepdims: false).data == .i32([6]))
        let mask = Tensor(shape: [4], bool: [true, false, true, true])
        #expect(try mask.reduce(.sum, axes: nil, keepdims: false).data == .i32([3]))
        #expect(try mask.reduce(.mean, axes: nil, keepdims: false).data == .f32([0.75]))
    }

    @Test func integerSumOverflowIsAnError() {
        let big = Tensor(shape: [2], i32: [.max, 1])
        #expect(throws: TensorError("integer overflow in sum: 2147483648 does not fit in i32")) {
            try big.reduce(.sum, axes: nil, keepdims: false)
        }
    }

    @Test func anyAllAndCountNonzeroWorkOnEveryDtype() throws {
        let t = Tensor(shape: [2, 2], f32: [0, 1, 0, 0])
        #expect(try t.reduce(.any, axes: [1], keepdims: false).data == .bool([true, false]))
        #expect(try t.reduce(.all, axes: nil, keepdims: false).data == .bool([false]))
        #expect(try t.reduce(.countNonzero, axes: nil, keepdims: false).data == .i32([1]))
        let i = Tensor(shape: [3], i32: [3, 0, -1])
        #expect(try i.reduce(.countNonzero, axes: nil, keepdims: false).data == .i32([2]))
        #expect(try Tensor(shape: [2], bool: [true, true]).reduce(.all, axes: nil, keepdims: false).data == .bool([true]))
    }

    @Test func normsOfAVector() throws {
        let v = Tensor(shape: [2], f32: [3, -4])
        #expect(try v.norm(p: 2, axes: nil, keepdims: false).floats() == [5])
        #expect(try v.norm(p: 1, axes: nil, keepdims: false).floats() == [7])
        #expect(try v.norm(p: .infinity, axes: nil, keepdims: false).floats() == [4])
        #expect(try v.norm(p: -.infinity, axes: nil, keepdims: false).floats() == [3])
        #expect(try v.norm(p: 0, axes: nil, keepdims: false).floats() == [2])
        let p3 = try v.norm(p: 3, axes: nil, keepdims: false).floats()[0]
        #expect(Swift.abs(p3 - Float(cubeRoot(91))) < 1e-5)
    }

    @Test func normAlongAnAxisKeepsTheOthers() throws {
        let t = Tensor(shape: [2, 2], f32: [3, 4, 6, 8])
        #expect(try t.norm(p: 2, axes: [1], keepdims: true) == Tensor(shape: [2, 1], f32: [5, 10]))
    }

    @Test func cumsumWithoutAxisFlattens() throws {
        #expect(try m.cumsum(axis: nil) == Tensor(shape: [6], f32: [1, 3, 6, 10, 15, 21]))
        #expect(try m.cumsum(axis: 0) == Tensor(shape: [2, 3], f32: [1, 2, 3, 5, 7, 9]))
        #expect(try m.cumsum(axis: -1) == Tensor(shape: [2, 3], f32: [1, 3, 6, 4, 9, 15]))
    }

    @Test func cumsumOfIntegersAndBoolsIsI32() throws {
        #expect(try Tensor(shape: [3], bool: [true, false, true]).cumsum(axis: nil).data == .i32([1, 1, 2]))
    }

    @Test func logsumexpIsStableForLargeValues() throws {
        let t = Tensor(shape: [2], f32: [1000, 1000])
        let r = try t.logsumexp(axis: nil, keepdims: false).floats()[0]
        #expect(Swift.abs(r - (1000 + Float(0.693_147_18))) < 1e-3)
        let n = Tensor(shape: [2], f32: [-.infinity, -.infinity])
        #expect(try n.logsumexp(axis: 0, keepdims: false).floats() == [-.infinity])
    }

    @Test func softmaxSumsToOneAndSurvivesHugeLogits() throws {
        let t = Tensor(shape: [2, 2], f32: [0, 0, 1000, 0])
        let s = try t.softmax(axis: 1).floats()
        #expect(s == [0.5, 0.5, 1, 0])
        let c = try t.softmax(axis: 0).floats()
        #expect(c == [0, 0.5, 1, 0.5])
    }
}

/// The real cube root by Newton iteration.
private func cubeRoot(_ x: Double) -> Double {
    var y = x / 3
    for _ in 0..<60 { y -= (y * y * y - x) / (3 * y * y) }
    return y
}
