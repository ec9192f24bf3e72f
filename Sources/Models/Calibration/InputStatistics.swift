import COpenBLAS

/// Running sums over calibration tokens of one linear input `X` (`[tokens, width]`), in
/// Double: `Σ_t x_tj²` per column and, when asked for, the Gram matrix `XᵀX`.
public struct InputStatistics: Sendable {
    /// Columns of `X` (the linear's input width).
    public let width: Int
    /// `Σ_t x_tj²` for every column `j`.
    public private(set) var sumSquares: [Double]
    /// `XᵀX`, `width × width` row-major, or nil when not collected. Only the upper triangle
    /// is accumulated; `finished()` mirrors it.
    public private(set) var gram: [Double]?
    /// Rows of `X` seen.
    public private(set) var tokens = 0
    /// Double copy of the rows being added (scratch, reused).
    private var scratch: [Double] = []

    /// Empty sums for an input of `width` columns.
    public init(width: Int, gram: Bool) {
        self.width = width
        sumSquares = [Double](repeating: 0, count: width)
        self.gram = gram ? [Double](repeating: 0, count: width * width) : nil
    }

    /// Adds `rows` rows of `x` (`[rows, width]` row-major).
    mutating func add(_ x: UnsafePointer<Float>, rows: Int) {
        guard width > 0, rows > 0 else { return }
        tokens += rows
        let n = width, count = rows * width
        if scratch.count < count { scratch = [Double](repeating: 0, count: count) }
        scratch.withUnsafeMutableBufferPointer { xd in
            sumSquares.withUnsafeMutableBufferPointer { ss in
                for r in 0..<rows {
                    for j in 0..<n {
                        let v = Double(x[r * n + j])
                        xd[r * n + j] = v
                        ss[j] += v * v
                    }
                }
            }
            guard gram != nil, let source = xd.baseAddress else { return }
            gram?.withUnsafeMutableBufferPointer { g in
                cblas_dsyrk(CblasRowMajor, CblasUpper, CblasTrans, Int32(n), Int32(rows), 1, source, Int32(n),
                            1, g.baseAddress, Int32(n))
            }
        }
    }

    /// Adds another accumulator's sums (same width and options).
    mutating func merge(_ other: InputStatistics) {
        precondition(other.width == width && (other.gram == nil) == (gram == nil), "merging different statistics")
        tokens += other.tokens
        for j in 0..<width { sumSquares[j] += other.sumSquares[j] }
        if let theirs = other.gram {
            gram?.withUnsafeMutableBufferPointer { g in
                for i in 0..<(width * width) { g[i] += theirs[i] }
            }
        }
    }

    /// The sums with the Gram matrix made symmetric and the scratch released.
    func finished() -> InputStatistics {
        var done = self
        done.scratch = []
        if var g = done.gram {
            for i in 0..<width {
                for j in 0..<i { g[i * width + j] = g[j * width + i] }
            }
            done.gram = g
        }
        return done
    }
}
