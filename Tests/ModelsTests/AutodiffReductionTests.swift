import Testing
import TensorModule
@testable import Models

@Suite struct AutodiffReductionTests {
    @Test func sumsAndMeansMatchFiniteDifferences() throws {
        let x = uniform([3, 4, 2], seed: 21)
        let cases: [(String, (Tape, Variable) throws -> Variable)] = [
            ("sum", { $0.sum($1) }), ("mean", { $0.mean($1) }),
            ("sum axis 0", { try $0.sum($1, axis: 0) }), ("sum axis 1 keep", { try $0.sum($1, axis: 1, keepDims: true) }),
            ("mean axis -1", { try $0.mean($1, axis: -1) }), ("mean axis 1 keep", { try $0.mean($1, axis: 1, keepDims: true) }),
        ]
        for (name, f) in cases {
            let error = try gradientError([x]) { tape, v in try f(tape, v[0]) }
            #expect(error < 1e-3, "\(name): relative error \(error)")
        }
    }

    @Test func reductionShapes() throws {
        let tape = Tape()
        let x = tape.leaf(Tensor.ones([3, 4]))
        #expect(tape.shape(try tape.sum(x, axis: 1)) == [3])
        #expect(tape.shape(try tape.mean(x, axis: 0, keepDims: true)) == [1, 4])
        #expect(tape.shape(tape.sum(x)) == [])
        #expect(throws: ModelError("sum: axis 2 is out of range for shape [3, 4]", kind: .shape)) { try tape.sum(x, axis: 2) }
    }
}
