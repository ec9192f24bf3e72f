import Testing
import TensorModule
@testable import Models

@Suite struct AutodiffShapeTests {
    @Test func reshapeAndTransposeMatchFiniteDifferences() throws {
        let x = uniform([2, 3, 4], seed: 31)
        #expect(try gradientError([x]) { tape, v in try tape.reshape(v[0], [6, -1]) } < 1e-3)
        #expect(try gradientError([x]) { tape, v in try tape.transpose(v[0]) } < 1e-3)
        let m = uniform([3, 5], seed: 32)
        #expect(try gradientError([m]) { tape, v in try tape.transpose(v[0]) } < 1e-3)
    }

    @Test func transposeSwapsTheLastTwoAxes() throws {
        let tape = Tape()
        let x = tape.leaf(Tensor(shape: [2, 3], f32: [1, 2, 3, 4, 5, 6]))
        let t = tape.value(try tape.transpose(x))
        #expect(t == Tensor(shape: [3, 2], f32: [1, 4, 2, 5, 3, 6]))
        #expect(throws: ModelError.self) { try tape.reshape(x, [4]) }
        #expect(throws: ModelError.self) { try tape.transpose(tape.leaf(Tensor.ones([3]))) }
    }
}
