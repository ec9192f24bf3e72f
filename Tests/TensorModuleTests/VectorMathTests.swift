import Foundation
import Testing
import TensorModule

/// The SIMD exp and log against Foundation's libm over wide ranges and the special values.
@Suite struct VectorMathTests {
    /// `|a − b|` in units of b's last place (libm's value `b`).
    static func ulps(_ a: Double, _ b: Double) -> Double {
        if a == b { return 0 }
        return abs(a - b) / b.ulp
    }

    /// Seeded inputs spread over `range`, four per vector, plus the ends.
    static func inputs(_ range: ClosedRange<Double>, count: Int, seed: UInt64) -> [Double] {
        var rng = RandomStream(seed: seed)
        let spread = (0..<count).map { _ in range.lowerBound + rng.nextDouble() * (range.upperBound - range.lowerBound) }
        return [range.lowerBound, range.upperBound, 0, -0.0] + spread.filter { range.contains($0) }
    }

    /// The worst ulp distance of `vector` from `scalar` over `values`.
    static func worst(_ values: [Double], _ vector: (SIMD4<Double>) -> SIMD4<Double>, _ scalar: (Double) -> Double) -> Double {
        var worst = 0.0
        for start in stride(from: 0, to: values.count - 3, by: 4) {
            let v = vector(SIMD4(values[start..<(start + 4)]))
            for w in 0..<4 { worst = max(worst, ulps(v[w], scalar(values[start + w]))) }
        }
        return worst
    }

    @Test func expF64WithinTwoUlpOfLibm() {
        #expect(Self.worst(Self.inputs(-745...709.78, count: 200_000, seed: 1), vectorExp, Foundation.exp) <= 2)
        #expect(Self.worst(Self.inputs(-1...1, count: 100_000, seed: 2), vectorExp, Foundation.exp) <= 2)
        #expect(Self.worst(Self.inputs(-60...0, count: 100_000, seed: 3), vectorExp, Foundation.exp) <= 2)
        let special = vectorExp(SIMD4(-.infinity, .infinity, -800, 710))
        #expect(special == SIMD4(0, .infinity, 0, .infinity))
        #expect(vectorExp(SIMD4(repeating: .nan))[0].isNaN)
        #expect(vectorExp(SIMD4<Double>.zero) == SIMD4(repeating: 1))
    }

    @Test func logF64WithinOneUlpOfLibm() {
        var rng = RandomStream(seed: 4)
        // log-uniform over the whole positive range, subnormals included
        let wide = (0..<200_000).map { _ in Foundation.exp(-744 + rng.nextDouble() * 1453) }
        #expect(Self.worst(wide, vectorLog, Foundation.log) <= 1)
        #expect(Self.worst(Self.inputs(0.5...2, count: 100_000, seed: 5), vectorLog, Foundation.log) <= 1)
        #expect(Self.worst(Self.inputs(1...16, count: 100_000, seed: 6), vectorLog, Foundation.log) <= 1)
        let special = vectorLog(SIMD4(0, -0.0, .infinity, 1))
        #expect(special == SIMD4(-.infinity, -.infinity, .infinity, 0))
        let invalid = vectorLog(SIMD4(-1, .nan, -.infinity, .leastNonzeroMagnitude))
        #expect(invalid[0].isNaN && invalid[1].isNaN && invalid[2].isNaN)
        #expect(invalid[3] == Foundation.log(Double.leastNonzeroMagnitude))
    }

    @Test func expF32WithinTwoTenMillionthsOfLibm() {
        var rng = RandomStream(seed: 7)
        var worst: Float = 0
        for _ in 0..<20_000 {
            let x = SIMD8<Float>((0..<8).map { _ in -87 + rng.nextFloat() * 175 })
            let e = vectorExp(x)
            for w in 0..<8 { worst = max(worst, abs(e[w] - Foundation.exp(x[w])) / Foundation.exp(x[w])) }
        }
        #expect(worst < 2e-7)
        #expect(vectorExp(Float(0)) == 1)
    }
}
