/// What every compressed format offers: its shape and storage, expansion to dense, and the
/// products `A x` and `A X` with a row-major right-hand side.
public protocol SparseMatrix: Sendable {
    /// The matrix's shape.
    var rows: Int { get }
    var columns: Int { get }
    /// The bytes the compressed matrix occupies.
    var nbytes: Int { get }
    /// The number of values stored (explicit zeros of n:m padding included).
    var storedValues: Int { get }
    /// A short name of the format: `2:4 f32`, `csr`.
    var formatName: String { get }
    /// The dense row-major matrix.
    func dense() -> [Float]
    /// `A x` for `x` of `columns` elements, over up to `threads` threads.
    func multiply(vector x: [Float], threads: Int) throws(SparseError) -> [Float]
    /// `A X` for `X` row-major `[columns, k]`; the result is `[rows, k]`.
    func multiply(matrix x: [Float], k: Int, threads: Int) throws(SparseError) -> [Float]
}

extension NMMatrix: SparseMatrix {
    public var storedValues: Int { rows * keptPerRow }
    public var formatName: String { "\(n):\(m) \(storage.rawValue)" }
}

extension CSRMatrix: SparseMatrix {
    public var storedValues: Int { nonzeros }
    public var formatName: String { "csr" }
}
