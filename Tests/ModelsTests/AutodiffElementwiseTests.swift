import Testing
import TensorModule
@testable import Models

@Suite struct AutodiffElementwiseTests {
    @Test(arguments: [([3, 4], [4]), ([3, 1], [1, 4]), ([2, 3], [2, 3]), ([], [2, 3]), ([2, 1, 3], [4, 1])])
    func binaryOpsMatchFiniteDifferencesWithBroadcasting(a: [Int], b: [Int]) throws {
        let x = uniform(a, 0.5, 2, seed: 1), y = uniform(b, 0.5, 2, seed: 2)
        for op in ["add", "subtract", "multiply", "divide"] {
            let error = try gradientError([x, y]) { tape, v in
                switch op {
                case "add": return try tape.add(v[0], v[1])
                case "subtract": return try tape.subtract(v[0], v[1])
                case "multiply": return try tape.multiply(v[0], v[1])
                default: return try tape.divide(v[0], v[1])
                }
            }
            #expect(error < 1e-3, "\(op) \(a) \(b): relative error \(error)")
        }
    }

    @Test func scalarOpsOnEitherSideMatchFiniteDifferences() throws {
        let x = uniform([2, 3], 0.5, 2, seed: 3)
        let cases: [(String, (Tape, Variable) -> Variable)] = [
            ("x+s", { $0.add($1, 1.5) }), ("s+x", { $0.add(Float(1.5), $1) }),
            ("x-s", { $0.subtract($1, 2.0) }), ("s-x", { $0.subtract(2.0, $1) }),
            ("x*s", { $0.multiply($1, -3.0) }), ("s*x", { $0.multiply(Float(-3), $1) }),
            ("x/s", { $0.divide($1, 4.0) }), ("s/x", { $0.divide(4.0, $1) }),
            ("-x", { $0.negate($1) }), ("x**2", { $0.pow($1, 2) }), ("x**-1.5", { $0.pow($1, -1.5) }),
        ]
        for (name, f) in cases {
            let error = try gradientError([x]) { tape, v in f(tape, v[0]) }
            #expect(error < 1e-3, "\(name): relative error \(error)")
        }
        let tape = Tape()
        #expect(floats(tape.value(tape.subtract(1.0, tape.leaf(x)))) == floats(x).map { 1 - $0 })
    }

    @Test func unaryOpsMatchFiniteDifferences() throws {
        let positive = uniform([3, 5], 0.5, 2, seed: 4)
        // Entries at least 0.1 away from 0, so |x| and relu stay smooth within the step.
        let mixed = Tensor(shape: [3, 5], f32: floats(uniform([3, 5], 0.1, 2, seed: 5)).enumerated().map { $0 % 2 == 0 ? $1 : -$1 })
        let cases: [(String, Tensor, (Tape, Variable) -> Variable)] = [
            ("exp", mixed, { $0.exp($1) }), ("log", positive, { $0.log($1) }), ("sqrt", positive, { $0.sqrt($1) }),
            ("abs", mixed, { $0.abs($1) }), ("sigmoid", mixed, { $0.sigmoid($1) }), ("tanh", mixed, { $0.tanh($1) }),
            ("silu", mixed, { $0.silu($1) }), ("relu", mixed, { $0.relu($1) }),
        ]
        for (name, x, f) in cases {
            let error = try gradientError([x]) { tape, v in f(tape, v[0]) }
            #expect(error < 1e-3, "\(name): relative error \(error)")
        }
    }

    @Test func mismatchedShapesThrowNamingTheOp() {
        let tape = Tape()
        let a = tape.leaf(Tensor.zeros([3, 4])), b = tape.leaf(Tensor.zeros([3]))
        #expect(throws: ModelError("add: shapes [3, 4] and [3] cannot broadcast", kind: .shape)) { try tape.add(a, b) }
    }
}
