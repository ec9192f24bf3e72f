import Testing
import TensorModule
@testable import Models

@Suite struct AutodiffTapeTests {
    @Test func gradientOfSumOfSquaresIsExactlyTwiceX() throws {
        let x = uniform([4, 5], seed: 11)
        let tape = Tape()
        let v = tape.leaf(x)
        let grads = try tape.gradients(of: tape.sum(try tape.multiply(v, v)), withRespectTo: [v, v])
        #expect(floats(grads[0]) == floats(x).map { 2 * $0 })
        #expect(grads[1] == grads[0])
        let viaPow = try tape.gradients(of: tape.sum(tape.pow(v, 2)), withRespectTo: [v])
        #expect(floats(viaPow[0]) == floats(x).map { 2 * $0 })
    }

    @Test func aVariableUsedSeveralTimesAccumulates() throws {
        let x = uniform([3], 0.5, 2, seed: 12), y = uniform([2, 3], seed: 13)
        // x appears in three places: x·y + x/… + exp(x).
        let error = try gradientError([x, y]) { tape, v in
            try tape.add(try tape.add(try tape.multiply(v[0], v[1]), try tape.divide(v[1], v[0])), tape.exp(v[0]))
        }
        #expect(error < 1e-3, "relative error \(error)")
    }

    @Test func unreachedVariablesGetZerosOfTheirShape() throws {
        let tape = Tape()
        let a = tape.leaf(uniform([2, 2], seed: 14)), b = tape.leaf(uniform([3], seed: 15))
        let loss = tape.sum(a)
        let later = tape.leaf(Tensor.ones([5]))
        let grads = try tape.gradients(of: loss, withRespectTo: [b, later, a])
        #expect(grads[0] == Tensor.zeros([3]))
        #expect(grads[1] == Tensor.zeros([5]))
        #expect(grads[2] == Tensor.ones([2, 2]))
    }

    @Test func constantsCarryNoBackward() throws {
        let tape = Tape()
        let c = tape.leaf(Tensor.ones([3]), requiresGradient: false), x = tape.leaf(Tensor.ones([3]))
        let constant = tape.exp(c)
        #expect(!tape.requiresGradient(constant))
        #expect(tape.nodes[constant.index].backward == nil)
        let mixed = try tape.multiply(constant, x)
        #expect(tape.requiresGradient(mixed))
        #expect(throws: ModelError.self) { try tape.gradients(of: tape.sum(mixed), withRespectTo: [c]) }
    }

    @Test func theLossMustHoldOneElement() {
        let tape = Tape()
        let x = tape.leaf(Tensor.ones([2]))
        #expect(throws: ModelError("gradients: the loss must hold exactly one element, got shape [2]", kind: .shape)) {
            try tape.gradients(of: x, withRespectTo: [x])
        }
    }
}

@Suite struct AutodiffGradientCheckTests {
    /// The checker itself: a backward that is off by 1% must fail it, the right one pass.
    @Test func theCheckerCatchesAWrongDerivative() throws {
        let x = uniform([4], 0.5, 2, seed: 16)
        func cube(_ factor: Float) throws -> Double {
            try gradientError([x]) { tape, v in
                let input = tape.value(v[0])
                let y = Tensor(shape: [4], f32: floats(input).map { $0 * $0 * $0 })
                return tape.record(y, inputs: [v[0]]) { up, _ in [zip(up, floats(input)).map { factor * 3 * $0 * $1 * $1 }] }
            }
        }
        #expect(try cube(1) < 1e-4)
        #expect(try cube(1.01) > 1e-3)
    }
}
