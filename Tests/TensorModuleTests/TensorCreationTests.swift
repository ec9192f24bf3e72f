import Testing
@testable import TensorModule

@Suite struct TensorCreationTests {
    @Test func zerosHasTheShapeAndDtypeAsked() {
        let t = Tensor.zeros([2, 3], dtype: .i32)
        #expect(t.shape == [2, 3])
        #expect(t.data == .i32([0, 0, 0, 0, 0, 0]))
    }

    @Test func onesOfBoolAreTrue() {
        #expect(Tensor.ones([2], dtype: .bool).data == .bool([true, true]))
    }

    @Test func fullConvertsTheValueToTheDtype() {
        #expect(Tensor.full([2], value: 2.5, dtype: .f32).data == .f32([2.5, 2.5]))
        #expect(Tensor.full([2], value: -2.7, dtype: .i32).data == .i32([-2, -2]))
    }

    @Test func eyeHasOnesOnTheDiagonal() {
        #expect(Tensor.eye(3) == Tensor(shape: [3, 3], f32: [1, 0, 0, 0, 1, 0, 0, 0, 1]))
        #expect(Tensor.eye(0).shape == [0, 0])
    }

    @Test func arangeStopsBeforeStop() throws {
        #expect(try Tensor.arange(0, 1, 0.25).data == .f32([0, 0.25, 0.5, 0.75]))
        #expect(try Tensor.arange(0, 1, 0.3).count == 4)
    }

    @Test func arangeCountsDownWithANegativeStep() throws {
        #expect(try Tensor.arange(5, 0, -2).data == .f32([5, 3, 1]))
    }

    @Test func arangeIsEmptyWhenTheStepPointsAway() throws {
        #expect(try Tensor.arange(3, 0, 1).shape == [0])
    }

    @Test func arangeRejectsAZeroStep() {
        #expect(throws: TensorError("arange step must not be zero")) { try Tensor.arange(0, 1, 0) }
    }

    @Test func linspaceIncludesBothEnds() throws {
        #expect(try Tensor.linspace(0, 1, 5).data == .f32([0, 0.25, 0.5, 0.75, 1]))
        #expect(try Tensor.linspace(2, 3, 1).data == .f32([2]))
        #expect(try Tensor.linspace(2, 3, 0).shape == [0])
    }

    @Test func linspaceRejectsANegativeCount() {
        #expect(throws: TensorError("linspace needs n >= 0, got -1")) { try Tensor.linspace(0, 1, -1) }
    }

    @Test func scalarIsZeroDimensional() {
        let s = Tensor.scalar(3.5)
        #expect(s.shape == [])
        #expect(s.ndim == 0)
        #expect(s.data == .f32([3.5]))
        #expect(Tensor.scalar(7, dtype: .i32).data == .i32([7]))
    }

    @Test func initFromDoublesConvertsEachDtype() {
        #expect(Tensor(doubles: [1.9, -1.9], shape: [2], dtype: .i32).data == .i32([1, -1]))
        #expect(Tensor(doubles: [0, 0.5], shape: [2], dtype: .bool).data == .bool([false, true]))
        #expect(Tensor(doubles: [0.1], shape: [1], dtype: .f32).data == .f32([0.1]))
    }

    @Test func astypeTruncatesFloatsTowardZero() {
        let t = Tensor(shape: [4], f32: [-1.7, 1.7, 2.5, -0.5])
        #expect(t.astype(.i32).data == .i32([-1, 1, 2, 0]))
    }

    @Test func astypeSaturatesAndSendsNaNToZero() {
        let t = Tensor(shape: [3], f32: [.nan, 1e20, -.infinity])
        #expect(t.astype(.i32).data == .i32([0, .max, .min]))
    }

    @Test func astypeToBoolIsNonzero() {
        #expect(Tensor(shape: [3], f32: [0, -0.0, .nan]).astype(.bool).data == .bool([false, false, true]))
        #expect(Tensor(shape: [2], i32: [0, 3]).astype(.bool).data == .bool([false, true]))
    }

    @Test func astypeFromBoolIsZeroOrOne() {
        let m = Tensor(shape: [2], bool: [true, false])
        #expect(m.astype(.f32).data == .f32([1, 0]))
        #expect(m.astype(.i32).data == .i32([1, 0]))
    }

    @Test func promotionOrdersBoolBelowI32BelowF32() {
        #expect(DType.promoted(.bool, .i32) == .i32)
        #expect(DType.promoted(.i32, .f32) == .f32)
        #expect(DType.promoted(.bool, .bool) == .bool)
    }
}
