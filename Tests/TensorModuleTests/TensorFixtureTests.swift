import Foundation
import Testing
@testable import TensorModule

/// The NumPy reference results in Fixtures/core.json, written by Fixtures/make_fixtures.py.
/// Decoded with `JSONDecoder`, which reads doubles exactly (`JSONSerialization` on Linux can
/// be off by an ulp).
struct CoreFixtures: Decodable {
    /// A tensor as {"shape", "data"}, row-major.
    struct Entry: Decodable {
        let shape: [Int]
        let data: [Double]

        /// The entry as a tensor of `dtype`.
        func tensor(_ dtype: DType = .f32) -> Tensor { Tensor(doubles: data, shape: shape, dtype: dtype) }
    }

    /// A norm order: a number, or "inf".
    enum Order: Decodable {
        case number(Double)
        case word(String)

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let v = try? c.decode(Double.self) { self = .number(v) } else { self = .word(try c.decode(String.self)) }
        }

        var value: Double {
            switch self {
            case .number(let v): return v
            case .word(let w): return w == "inf" ? .infinity : .nan
            }
        }
    }

    /// Operation parameters; each case uses some.
    struct Params: Decodable {
        let axes: [Int]?
        let axis: Int?
        let keepdims: Bool?
        let p: Order?
    }

    /// One numeric case: `op` on `inputs` should give `expected`.
    struct Case: Decodable {
        let name: String
        let op: String
        let inputs: [Entry]
        let params: Params
        let expected: Entry
    }

    /// One display case: an i32 tensor and NumPy's array2string of it.
    struct Format: Decodable {
        let input: Entry
        let maxWidth: Int
        let expected: String
    }

    /// Reference outputs of one seed's streams.
    struct Random: Decodable {
        let u64: [String]
        let double: [Double]
        let float: [Double]
        let normal: [Double]
        let intBelow10: [UInt64]
    }

    let cases: [Case]
    let formats: [Format]
    let random: [String: Random]

    /// The decoded fixture file.
    static let shared: CoreFixtures = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent("core.json")
        return try! JSONDecoder().decode(CoreFixtures.self, from: Data(contentsOf: url))
    }()
}

/// Whether every `actual` element is within `atol + rtol·|expected|` of `expected` (the
/// spec's replay rule), with shapes equal.
func allClose(_ actual: Tensor, _ expected: Tensor, rtol: Double, atol: Double) -> Bool {
    guard actual.shape == expected.shape else { return false }
    let a = actual.doubles(), b = expected.doubles()
    return zip(a, b).allSatisfy { Swift.abs($0 - $1) <= atol + rtol * Swift.abs($1) }
}

/// Runs one fixture case through TensorModule.
private func evaluate(_ c: CoreFixtures.Case) throws -> Tensor {
    let inputs = c.inputs.map { $0.tensor() }
    let params = c.params
    let keepdims = params.keepdims ?? false
    switch c.op {
    case "add", "sub", "mul", "mod", "pow", "maximum":
        return try Tensor.binary(BinaryOp(rawValue: c.op)!, inputs[0], inputs[1])
    case "sum", "mean", "var", "std", "max", "min", "prod", "argmax", "argmin":
        let reduceOp = c.op == "var" ? ReduceOp.var_ : ReduceOp(rawValue: c.op)!
        return try inputs[0].reduce(reduceOp, axes: params.axes, keepdims: keepdims)
    case "softmax":
        return try inputs[0].softmax(axis: params.axis!)
    case "logsumexp":
        return try inputs[0].logsumexp(axis: params.axis, keepdims: keepdims)
    case "norm":
        return try inputs[0].norm(p: params.p!.value, axes: params.axes, keepdims: keepdims)
    case "cumsum":
        return try inputs[0].cumsum(axis: params.axis)
    default:
        Issue.record("unknown fixture op \(c.op)")
        return inputs[0]
    }
}

@Suite struct TensorFixtureTests {
    /// Inputs are exact f32 values and NumPy's answers exact float64 ones, so the f32 result
    /// should be the correctly rounded answer up to a few ulps (2⁻²⁴ ≈ 6e-8 each) of error from
    /// f32 `exp`/`pow` and the final rounding; rtol 1e-5 leaves two orders of margin while
    /// still catching any wrong axis or formula. atol 1e-6 covers results that cancel to ~0
    /// (softmax of a logit 90 below the maximum, sums of a sine wave).
    @Test(arguments: CoreFixtures.shared.cases.indices)
    func matchesNumPy(_ index: Int) throws {
        let c = CoreFixtures.shared.cases[index]
        let expected = c.expected.tensor()
        let actual = try evaluate(c)
        #expect(allClose(actual, expected, rtol: 1e-5, atol: 1e-6),
                "\(c.name): got \(actual.doubles()) shape \(actual.shape), expected \(expected.doubles()) shape \(expected.shape)")
    }

    @Test(arguments: CoreFixtures.shared.formats.indices)
    func layoutMatchesNumPyArray2string(_ index: Int) {
        let f = CoreFixtures.shared.formats[index]
        #expect(formatTensor(f.input.tensor(.i32), maxWidth: f.maxWidth) == f.expected)
    }
}
