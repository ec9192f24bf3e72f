import Testing
@testable import TensorModule

@Suite struct RandomStreamTests {
    @Test(arguments: [UInt64(0), 42])
    func rawOutputsMatchTheReferenceImplementation(_ seed: UInt64) {
        let expected = CoreFixtures.shared.random["\(seed)"]!.u64.map { UInt64($0)! }
        var rng = RandomStream(seed: seed)
        #expect((0..<4).map { _ in rng.next() } == expected)
    }

    @Test(arguments: [UInt64(0), 42])
    func uniformsMatchTheReferenceImplementation(_ seed: UInt64) {
        let reference = CoreFixtures.shared.random["\(seed)"]!
        let doubles = reference.double
        var rng = RandomStream(seed: seed)
        #expect((0..<4).map { _ in rng.nextDouble() } == doubles)
        let floats = reference.float.map { Float($0) }
        var rng2 = RandomStream(seed: seed)
        #expect((0..<4).map { _ in rng2.nextFloat() } == floats)
    }

    @Test(arguments: [UInt64(0), 42])
    func normalsMatchTheReferenceBoxMuller(_ seed: UInt64) {
        // Both sides call the C library's log/sin/cos in Double; allow a few ulps anyway.
        let expected = CoreFixtures.shared.random["\(seed)"]!.normal
        var rng = RandomStream(seed: seed)
        for e in expected {
            let z = rng.nextNormal()
            #expect(Swift.abs(z - e) <= 1e-12 * Swift.max(1, Swift.abs(e)))
        }
    }

    @Test(arguments: [UInt64(0), 42])
    func boundedIntegersMatchTheReferenceLemire(_ seed: UInt64) {
        let expected = CoreFixtures.shared.random["\(seed)"]!.intBelow10
        var rng = RandomStream(seed: seed)
        #expect((0..<8).map { _ in rng.nextInt(below: 10) } == expected)
    }

    @Test func theSameSeedGivesTheSameStream() {
        var a = RandomStream(seed: 7), b = RandomStream(seed: 7), c = RandomStream(seed: 8)
        let xs = (0..<5).map { _ in a.next() }
        #expect(xs == (0..<5).map { _ in b.next() })
        #expect(xs != (0..<5).map { _ in c.next() })
    }

    @Test func uniformsStayInTheUnitInterval() {
        var rng = RandomStream(seed: 1)
        for _ in 0..<10_000 {
            let d = rng.nextDouble(), f = rng.nextFloat()
            #expect(d >= 0 && d < 1)
            #expect(f >= 0 && f < 1)
        }
    }

    @Test func boundedIntegersCoverTheirRange() {
        var rng = RandomStream(seed: 3)
        var seen = Set<UInt64>()
        for _ in 0..<1000 { seen.insert(rng.nextInt(below: 6)) }
        #expect(seen == [0, 1, 2, 3, 4, 5])
        #expect(rng.nextInt(below: 1) == 0)
    }

    @Test func randnHasRoughlyZeroMeanAndUnitVariance() throws {
        var rng = RandomStream(seed: 0)
        let t = Tensor.randn([100, 100], rng: &rng)
        #expect(t.shape == [100, 100])
        // 10,000 samples: the mean's standard error is 0.01, the variance's about 0.014.
        let mean = try t.reduce(.mean, axes: nil, keepdims: false).floats()[0]
        let variance = try t.reduce(.var_, axes: nil, keepdims: false).floats()[0]
        #expect(Swift.abs(mean) < 0.05)
        #expect(Swift.abs(variance - 1) < 0.07)
    }

    @Test func factoriesAreReproducible() {
        var a = RandomStream(seed: 5), b = RandomStream(seed: 5)
        #expect(Tensor.randn([3, 2], rng: &a) == Tensor.randn([3, 2], rng: &b))
        #expect(Tensor.rand([4], rng: &a) == Tensor.rand([4], rng: &b))
    }

    @Test func randintStaysWithinItsBounds() throws {
        var rng = RandomStream(seed: 9)
        let t = try Tensor.randint(-2, 3, [1000], rng: &rng)
        #expect(t.dtype == .i32)
        let values = Set(t.doubles())
        #expect(values == [-2, -1, 0, 1, 2])
    }

    @Test func randintNeedsANonemptyRange() {
        var rng = RandomStream(seed: 0)
        #expect(throws: TensorError("randint needs lo < hi, got lo 5 and hi 5")) {
            try Tensor.randint(5, 5, [2], rng: &rng)
        }
    }
}
