import Testing
@testable import TensorModule

/// The address of a tensor's storage, to observe whether an operation reallocated it.
private func storageAddress(_ t: Tensor) -> UInt {
    switch t.data {
    case .f32(let a): return a.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    case .i32(let a): return a.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    case .bool(let a): return a.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }
    }
}

@Suite struct TensorElementwiseTests {
    let m23 = Tensor(shape: [2, 3], f32: [1, 2, 3, 4, 5, 6])

    @Test func broadcastShapesFollowsNumPy() throws {
        #expect(try Tensor.broadcastShapes([2, 1, 3], [4, 1], op: "+") == [2, 4, 3])
        #expect(try Tensor.broadcastShapes([], [3], op: "+") == [3])
        #expect(try Tensor.broadcastShapes([0, 1], [1, 5], op: "+") == [0, 5])
    }

    @Test func broadcastMismatchShowsBothShapes() {
        #expect(throws: TensorError("shape mismatch in `+`: [2, 3] and [4] cannot broadcast")) {
            try Tensor.broadcastShapes([2, 3], [4], op: "+")
        }
        #expect(throws: TensorError("shape mismatch in `*`: [2, 3] and [2] cannot broadcast")) {
            try Tensor.binary(.mul, m23, Tensor(shape: [2], f32: [1, 2]))
        }
    }

    @Test func addBroadcastsARowVector() throws {
        let r = try Tensor.binary(.add, m23, Tensor(shape: [3], f32: [10, 20, 30]))
        #expect(r == Tensor(shape: [2, 3], f32: [11, 22, 33, 14, 25, 36]))
    }

    @Test func subBroadcastsAColumnVector() throws {
        let r = try Tensor.binary(.sub, m23, Tensor(shape: [2, 1], f32: [1, 2]))
        #expect(r.floats() == [0, 1, 2, 2, 3, 4])
    }

    @Test func outerBroadcastOfColumnAndRow() throws {
        let r = try Tensor.binary(.mul, Tensor(shape: [3, 1], f32: [1, 2, 3]), Tensor(shape: [1, 2], f32: [10, 100]))
        #expect(r.shape == [3, 2])
        #expect(r.floats() == [10, 100, 20, 200, 30, 300])
    }

    @Test func sameShapeOperationsAreElementwise() throws {
        let a = Tensor(shape: [4], f32: [1, 2, 3, 4]), b = Tensor(shape: [4], f32: [4, 3, 2, 1])
        #expect(try Tensor.binary(.add, a, b).floats() == [5, 5, 5, 5])
        #expect(try Tensor.binary(.div, a, b).floats() == [0.25, 2.0 / 3.0, 1.5, 4])
        #expect(try Tensor.binary(.lt, a, b).data == .bool([true, true, false, false]))
    }

    @Test func comparisonsGiveBool() throws {
        let r = try Tensor.binary(.ge, m23, scalar: 3, scalarOnLeft: false)
        #expect(r.data == .bool([false, false, true, true, true, true]))
        let e = try Tensor.binary(.eq, Tensor(shape: [2], i32: [1, 2]), Tensor(shape: [2], f32: [1, 2.5]))
        #expect(e.data == .bool([true, false]))
    }

    @Test func logicalOpsNeedBool() throws {
        let p = Tensor(shape: [2], bool: [true, false]), q = Tensor(shape: [2], bool: [true, true])
        #expect(try Tensor.binary(.and, p, q).data == .bool([true, false]))
        #expect(try Tensor.binary(.or, p, q).data == .bool([true, true]))
        #expect(throws: TensorError("`and` needs bool tensors, got f32")) { try Tensor.binary(.and, p, m23) }
    }

    @Test func integerArithmeticStaysInteger() throws {
        let a = Tensor(shape: [3], i32: [7, -7, 2]), b = Tensor(shape: [3], i32: [2, 2, 3])
        #expect(try Tensor.binary(.add, a, b).data == .i32([9, -5, 5]))
        #expect(try Tensor.binary(.mul, a, b).data == .i32([14, -14, 6]))
        #expect(try Tensor.binary(.pow, a, b).data == .i32([49, 49, 8]))
        #expect(try Tensor.binary(.maximum, a, b).data == .i32([7, 2, 3]))
    }

    @Test func integerDivisionIsTrueDivision() throws {
        let r = try Tensor.binary(.div, Tensor(shape: [2], i32: [7, 1]), Tensor(shape: [2], i32: [2, 0]))
        #expect(r.data == .f32([3.5, .infinity]))
    }

    @Test func integerPowerWithANegativeExponentIsFloat() throws {
        let r = try Tensor.binary(.pow, Tensor(shape: [2], i32: [2, 4]), Tensor(shape: [2], i32: [-1, 2]))
        #expect(r.data == .f32([0.5, 16]))
    }

    @Test func modTakesTheDivisorsSign() throws {
        let r = try Tensor.binary(.mod, Tensor(shape: [4], i32: [7, -7, 7, -7]), Tensor(shape: [4], i32: [3, 3, -3, -3]))
        #expect(r.data == .i32([1, 2, -2, -1]))
        let f = try Tensor.binary(.mod, Tensor(shape: [2], f32: [-7.5, 7.5]), scalar: 2, scalarOnLeft: false)
        #expect(f.data == .f32([0.5, 1.5]))
    }

    @Test func integerModuloByZeroIsAnError() {
        #expect(throws: TensorError("integer modulo by zero")) {
            try Tensor.binary(.mod, Tensor(shape: [2], i32: [1, 2]), Tensor(shape: [2], i32: [1, 0]))
        }
        #expect(throws: TensorError("integer modulo by zero")) {
            try Tensor.binary(.mod, Tensor(shape: [1], i32: [1]), scalar: 0, scalarOnLeft: false)
        }
    }

    @Test func floatModuloByZeroIsNaN() throws {
        let r = try Tensor.binary(.mod, Tensor(shape: [1], f32: [1]), scalar: 0, scalarOnLeft: false)
        #expect(r.floats()[0].isNaN)
    }

    @Test func floatPowerHandlesNegativeBasesAndZeroToTheZero() throws {
        let r = try Tensor.binary(.pow, Tensor(shape: [3], f32: [-2, 0, -8]), Tensor(shape: [3], f32: [3, 0, 0.5]))
        #expect(r.floats()[0] == -8)
        #expect(r.floats()[1] == 1)
        #expect(r.floats()[2].isNaN)
    }

    @Test func boolsCountAsZeroAndOneInArithmetic() throws {
        let m = Tensor(shape: [2], bool: [true, false])
        #expect(try Tensor.binary(.add, m, m).data == .i32([2, 0]))
        #expect(try Tensor.binary(.mul, m, scalar: 2.5, scalarOnLeft: false).data == .f32([2.5, 0]))
        #expect(try Tensor.binary(.eq, m, Tensor(shape: [2], bool: [true, true])).data == .bool([true, false]))
    }

    @Test func integralScalarsKeepI32() throws {
        let t = Tensor(shape: [2], i32: [1, 2])
        #expect(try Tensor.binary(.mul, t, scalar: 3, scalarOnLeft: false).data == .i32([3, 6]))
        #expect(try Tensor.binary(.add, t, scalar: 0.5, scalarOnLeft: false).data == .f32([1.5, 2.5]))
    }

    @Test func scalarOnTheLeftIsTheFirstOperand() throws {
        let t = Tensor(shape: [2], f32: [1, 4])
        #expect(try Tensor.binary(.sub, t, scalar: 10, scalarOnLeft: true).floats() == [9, 6])
        #expect(try Tensor.binary(.div, t, scalar: 1, scalarOnLeft: true).floats() == [1, 0.25])
        #expect(try Tensor.binary(.lt, t, scalar: 2, scalarOnLeft: true).data == .bool([false, true]))
    }

    @Test func maximumPropagatesNaN() throws {
        let r = try Tensor.binary(.maximum, Tensor(shape: [2], f32: [.nan, 1]), Tensor(shape: [2], f32: [0, 2]))
        #expect(r.floats()[0].isNaN)
        #expect(r.floats()[1] == 2)
    }

    @Test func inPlaceAddReusesUniqueStorage() throws {
        var t = Tensor(shape: [4], f32: [1, 2, 3, 4])
        let before = storageAddress(t)
        try t.formBinary(.add, Tensor(shape: [4], f32: [1, 1, 1, 1]))
        #expect(t.floats() == [2, 3, 4, 5])
        #expect(storageAddress(t) == before)
        try t.formBinary(.mul, Tensor(shape: [1], i32: [2]))
        #expect(t.floats() == [4, 6, 8, 10])
        #expect(storageAddress(t) == before)
    }

    @Test func inPlaceOperationsNeverAlias() throws {
        var t = Tensor(shape: [2], f32: [1, 2])
        let copy = t
        try t.formBinary(.add, t)
        #expect(t.floats() == [2, 4])
        #expect(copy.floats() == [1, 2])
    }

    @Test func inPlaceFallsBackWhenTheResultChangesShapeOrDtype() throws {
        var t = Tensor(shape: [3], f32: [1, 2, 3])
        try t.formBinary(.add, Tensor(shape: [2, 1], f32: [10, 20]))
        #expect(t.shape == [2, 3])
        #expect(t.floats() == [11, 12, 13, 21, 22, 23])
        var i = Tensor(shape: [2], i32: [1, 2])
        try i.formBinary(.div, Tensor(shape: [2], i32: [2, 2]))
        #expect(i.data == .f32([0.5, 1]))
        var j = Tensor(shape: [2], i32: [1, 2])
        try j.formBinary(.add, Tensor(shape: [2], f32: [0.5, 0.5]))
        #expect(j.data == .f32([1.5, 2.5]))
    }

    @Test func inPlaceIntegerModuloByZeroIsAnError() {
        var t = Tensor(shape: [2], i32: [1, 2])
        #expect(throws: TensorError("integer modulo by zero")) { try t.formBinary(.mod, Tensor(shape: [1], i32: [0])) }
        #expect(t.data == .i32([1, 2]))
    }

    @Test func unaryMathGivesFloat() throws {
        let t = Tensor(shape: [3], i32: [-1, 0, 4])
        #expect(try Tensor.unary(.relu, t).data == .f32([0, 0, 4]))
        #expect(try Tensor.unary(.sqrt, Tensor(shape: [1], i32: [9])).data == .f32([3]))
        #expect(try Tensor.unary(.exp, Tensor(shape: [1], f32: [0])).data == .f32([1]))
        #expect(try Tensor.unary(.log, Tensor(shape: [1], f32: [1])).data == .f32([0]))
        #expect(try Tensor.unary(.floor, Tensor(shape: [2], f32: [-1.5, 1.5])).data == .f32([-2, 1]))
        #expect(try Tensor.unary(.ceil, Tensor(shape: [2], f32: [-1.5, 1.5])).data == .f32([-1, 2]))
    }

    @Test func negAbsAndSignKeepIntegers() throws {
        let t = Tensor(shape: [3], i32: [-3, 0, 5])
        #expect(try Tensor.unary(.neg, t).data == .i32([3, 0, -5]))
        #expect(try Tensor.unary(.abs, t).data == .i32([3, 0, 5]))
        #expect(try Tensor.unary(.sign, t).data == .i32([-1, 0, 1]))
        #expect(try Tensor.unary(.sign, Tensor(shape: [3], f32: [-2, 0, 0.5])).data == .f32([-1, 0, 1]))
    }

    @Test func roundIsHalfToEven() throws {
        let r = try Tensor.unary(.round, Tensor(shape: [5], f32: [0.5, 1.5, 2.5, -0.5, -1.5]))
        #expect(r.floats() == [0, 2, 2, 0, -2])
    }

    @Test func geluIsTheExactErfForm() throws {
        // 0.5·x·(1 + erf(x/√2)) at ±1 and 2: 0.8413447, -0.1586553, 1.9544997.
        let r = try Tensor.unary(.gelu, Tensor(shape: [3], f32: [1, -1, 2])).floats()
        #expect(Swift.abs(r[0] - 0.841_344_7) < 1e-6)
        #expect(Swift.abs(r[1] + 0.158_655_3) < 1e-6)
        #expect(Swift.abs(r[2] - 1.954_499_7) < 1e-6)
    }

    @Test func sigmoidAndSiluStayFiniteForLargeInputs() throws {
        let s = try Tensor.unary(.sigmoid, Tensor(shape: [3], f32: [-1000, 0, 1000])).floats()
        #expect(s == [0, 0.5, 1])
        let u = try Tensor.unary(.silu, Tensor(shape: [3], f32: [-1000, 1, 1000])).floats()
        #expect(u[0] == 0)
        #expect(Swift.abs(u[1] - 0.731_058_6) < 1e-6)
        #expect(u[2] == 1000)
    }

    @Test func log1pIsAccurateNearZero() throws {
        let r = try Tensor.unary(.log1p, Tensor(shape: [1], f32: [1e-7])).floats()
        #expect(Swift.abs(r[0] - 1e-7) < 1e-13)
    }

    @Test func nanAndFinitenessTestsGiveBool() throws {
        let t = Tensor(shape: [3], f32: [.nan, .infinity, 1])
        #expect(try Tensor.unary(.isnan, t).data == .bool([true, false, false]))
        #expect(try Tensor.unary(.isfinite, t).data == .bool([false, false, true]))
        #expect(try Tensor.unary(.isnan, Tensor(shape: [1], i32: [3])).data == .bool([false]))
    }

    @Test func notNeedsBool() throws {
        #expect(try Tensor.unary(.not, Tensor(shape: [2], bool: [true, false])).data == .bool([false, true]))
        #expect(throws: TensorError("`not` needs a bool tensor, got f32")) { try Tensor.unary(.not, m23) }
    }

    @Test func clipLimitsAndKeepsNaN() throws {
        let r = try Tensor(shape: [4], f32: [-5, 0.5, 5, .nan]).clip(lo: 0, hi: 1).floats()
        #expect(Array(r[0..<3]) == [0, 0.5, 1])
        #expect(r[3].isNaN)
        #expect(try Tensor(shape: [3], i32: [-5, 2, 9]).clip(lo: nil, hi: 3).data == .i32([-5, 2, 3]))
        #expect(try Tensor(shape: [1], i32: [9]).clip(lo: nil, hi: 2.5).data == .f32([2.5]))
    }

    @Test func clipRejectsCrossedBounds() {
        #expect(throws: TensorError("clip needs lo <= hi, got lo 3 and hi 1")) { try m23.clip(lo: 3, hi: 1) }
    }

    @Test func whereBroadcastsAllThreeOperands() throws {
        let cond = Tensor(shape: [3], bool: [true, false, true])
        let r = try Tensor.where_(cond, m23, Tensor.scalar(0))
        #expect(r == Tensor(shape: [2, 3], f32: [1, 0, 3, 4, 0, 6]))
        let i = try Tensor.where_(cond, Tensor(shape: [1], i32: [1]), Tensor(shape: [1], bool: [false]))
        #expect(i.data == .i32([1, 0, 1]))
    }

    @Test func whereNeedsABoolCondition() {
        #expect(throws: TensorError("`where` needs a bool condition, got f32")) { try Tensor.where_(m23, m23, m23) }
    }

    @Test func emptyOperandsGiveEmptyResults() throws {
        let e = Tensor.zeros([0, 3])
        #expect(try Tensor.binary(.add, e, Tensor(shape: [3], f32: [1, 2, 3])).shape == [0, 3])
        #expect(try Tensor.binary(.add, e, scalar: 1, scalarOnLeft: false).shape == [0, 3])
        var f = Tensor.zeros([0])
        try f.formBinary(.add, Tensor.zeros([0]))
        #expect(f.shape == [0])
        var i = Tensor.zeros([0], dtype: .i32)
        try i.formBinary(.mul, Tensor.zeros([0], dtype: .i32))
        #expect(i.dtype == .i32)
    }
}
