import Sparse

/// Seeded test matrices and the reference product the kernels are checked against.
enum SparseTestMatrices {
    /// A deterministic pseudo-random value in [-1, 1) (64-bit LCG; independent of the engine's streams).
    static func values(_ count: Int, seed: UInt64) -> [Float] {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        return (0..<count).map { _ in
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Float(Int64(bitPattern: state >> 11) % (1 << 20)) / Float(1 << 20) * 2 - 1
        }
    }

    /// `values` with entries of magnitude below `threshold` set to zero.
    static func sparse(_ count: Int, seed: UInt64, threshold: Float) -> [Float] {
        values(count, seed: seed).map { abs($0) < threshold ? 0 : $0 }
    }

    /// `rows × columns` values with, in every group of m columns, only the n largest magnitudes
    /// kept (the lower position on ties): a matrix that is n:m.
    static func nm(rows: Int, columns: Int, n: Int, m: Int, seed: UInt64) -> [Float] {
        var w = values(rows * columns, seed: seed)
        for start in stride(from: 0, to: w.count, by: m) {
            let order = (0..<m).sorted { abs(w[start + $0]) > abs(w[start + $1]) || (abs(w[start + $0]) == abs(w[start + $1]) && $0 < $1) }
            for j in order[n...] { w[start + j] = 0 }
        }
        return w
    }

    /// The dense product `A X` (A `[rows, inner]`, X `[inner, k]`, row-major), summed in f64.
    static func product(_ a: [Float], rows: Int, inner: Int, _ x: [Float], k: Int) -> [Float] {
        (0..<rows * k).map { e in
            let (r, j) = (e / k, e % k)
            var sum = 0.0
            for i in 0..<inner { sum += Double(a[r * inner + i]) * Double(x[i * k + j]) }
            return Float(sum)
        }
    }

    /// True when every `got[i]` is within `tolerance` of `want[i]` relative to the largest |want|.
    static func close(_ got: [Float], _ want: [Float], tolerance: Float = 1e-5) -> Bool {
        let scale = max(want.map(abs).max() ?? 0, 1e-30)
        return got.count == want.count && zip(got, want).allSatisfy { abs($0 - $1) <= tolerance * scale }
    }
}
