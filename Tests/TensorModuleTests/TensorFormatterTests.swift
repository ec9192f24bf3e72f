import Testing
@testable import TensorModule

@Suite struct TensorFormatterTests {
    @Test func integralFloatsPrintAsIntegers() {
        #expect(formatTensor(Tensor(shape: [3], f32: [1, 2, 3])) == "tensor([1, 2, 3], f32)")
        #expect(formatTensor(Tensor(shape: [2], f32: [-10, 2])) == "tensor([-10,   2], f32)")
    }

    @Test func matricesAlignRowsAndPadElements() {
        let t = Tensor(shape: [2, 2], f32: [1.5, -2, 3.25, 4])
        #expect(formatTensor(t) == """
            tensor([[ 1.5000, -2.0000],
                    [ 3.2500,  4.0000]], f32)
            """)
    }

    @Test func fixedDecimalsRoundHalfAwayFromZero() {
        #expect(formatFixed4(0.125_05) == "0.1251")
        #expect(formatFixed4(-0.125_05) == "-0.1251")
        #expect(formatFixed4(2.5) == "2.5000")
        #expect(formatFixed4(-0.000_01) == "0.0000")
        #expect(formatTensor(Tensor(shape: [2], f32: [0.1, 0.2])) == "tensor([0.1000, 0.2000], f32)")
    }

    @Test func smallValuesSwitchToScientific() {
        let t = Tensor(shape: [2], f32: [1.234_56e-5, 1])
        #expect(formatTensor(t) == "tensor([1.2346e-05, 1.0000e+00], f32)")
    }

    @Test func wideRangesSwitchToScientific() {
        #expect(formatTensor(Tensor(shape: [2], f32: [0.001, 1.5])) == "tensor([1.0000e-03, 1.5000e+00], f32)")
        #expect(formatTensor(Tensor(shape: [1], f32: [1.5e9])) == "tensor([1.5000e+09], f32)")
        #expect(formatTensor(Tensor(shape: [1], f32: [-2e10])) == "tensor([-2.0000e+10], f32)")
    }

    @Test func scientificMantissaCarriesIntoTheExponent() {
        #expect(formatScientific4(9.999_96e-5) == "1.0000e-04")
        #expect(formatScientific4(123_455) == "1.2346e+05")
    }

    @Test func specialValuesPrintAsWords() {
        let t = Tensor(shape: [3], f32: [1.5, .nan, -.infinity])
        #expect(formatTensor(t) == "tensor([1.5000,    nan,   -inf], f32)")
        #expect(formatTensor(Tensor(shape: [2], f32: [.infinity, 1])) == "tensor([inf,   1], f32)")
    }

    @Test func boolsAndIntegersPrintPlainly() {
        #expect(formatTensor(Tensor(shape: [2], bool: [true, false])) == "tensor([ true, false], bool)")
        #expect(formatTensor(Tensor(shape: [3], i32: [5, -12, 0])) == "tensor([  5, -12,   0], i32)")
    }

    @Test func zeroDimensionalTensorsPrintTheirValue() {
        #expect(formatTensor(Tensor.scalar(3.5)) == "tensor(3.5, f32)")
        #expect(formatTensor(Tensor.scalar(3)) == "tensor(3, f32)")
        #expect(formatTensor(Tensor.scalar(0.1)) == "tensor(0.1, f32)")
        #expect(formatTensor(Tensor.scalar(1, dtype: .bool)) == "tensor(true, bool)")
    }

    @Test func emptyTensorsShowTheirShape() {
        #expect(formatTensor(Tensor.zeros([0, 3])) == "tensor([], shape=[0, 3], f32)")
        #expect(formatTensor(Tensor.zeros([0], dtype: .i32)) == "tensor([], shape=[0], i32)")
    }

    @Test func negativeZeroPrintsWithoutASign() {
        #expect(formatTensor(Tensor(shape: [2], f32: [-0.0, 1])) == "tensor([0, 1], f32)")
        #expect(formatTensor(Tensor(shape: [2], f32: [-0.0, 1.5])) == "tensor([0.0000, 1.5000], f32)")
    }

    @Test func longTensorsAreElided() {
        let t = iota([2000])
        #expect(formatTensor(t) == "tensor([   0,    1,    2, ..., 1997, 1998, 1999], f32)")
    }

    @Test func elidedFormatUsesOnlyTheShownElements() throws {
        // The hidden middle holds 0.5, which would force decimals if it were considered.
        var t = iota([1001])
        try t.assign([.at(500)], Tensor.scalar(0.5))
        #expect(formatTensor(t) == "tensor([   0,    1,    2, ...,  998,  999, 1000], f32)")
    }

    @Test func longRowsWrapUnderTheFirstElement() {
        // NumPy's array2string with the same prefix, suffix and width (it keeps the suffix's
        // width free on every line).
        let t = iota([30])
        let text = formatTensor(t, maxWidth: 40)
        #expect(text == """
            tensor([ 0,  1,  2,  3,  4,  5,
                     6,  7,  8,  9, 10, 11,
                    12, 13, 14, 15, 16, 17,
                    18, 19, 20, 21, 22, 23,
                    24, 25, 26, 27, 28, 29], f32)
            """)
        #expect(text.split(separator: "\n").allSatisfy { $0.count <= 40 })
    }
}
