/// A matrix `[rows, columns]` in compressed sparse row form: the nonzeros row by row
/// (`values`), their 32-bit column indices (`columnIndices`), and where each row starts
/// (`rowStarts`, rows + 1 entries), as SciPy's `csr_matrix` stores it.
public struct CSRMatrix: Sendable {
    /// The matrix's shape.
    public let rows: Int, columns: Int
    /// The nonzero values, row by row, columns ascending.
    let values: [Float]
    /// The column of each value.
    let columnIndices: [Int32]
    /// Row r's values are `rowStarts[r] ..< rowStarts[r + 1]`.
    let rowStarts: [Int32]

    /// The number of stored values.
    public var nonzeros: Int { values.count }
    /// The bytes the matrix occupies (values, column indices and row starts).
    public var nbytes: Int { values.count * 8 + rowStarts.count * 4 }

    /// The nonzeros of the row-major `dense` matrix (exact zeros are dropped).
    public init(dense: [Float], rows: Int, columns: Int) throws(SparseError) {
        guard rows >= 0, columns >= 0, dense.count == rows * columns else {
            throw SparseError("expected \(rows * columns) values for a [\(rows), \(columns)] matrix, got \(dense.count)", kind: .shape)
        }
        let nonzeros = dense.reduce(0) { $1 != 0 ? $0 + 1 : $0 }
        guard columns < Int(Int32.max), nonzeros < Int(Int32.max) else {
            throw SparseError("CSR with 32-bit indices holds fewer than 2³¹ columns and nonzeros, got \(columns) columns and \(nonzeros) nonzeros",
                              kind: .shape)
        }
        var values: [Float] = [], columnIndices: [Int32] = [], rowStarts: [Int32] = [0]
        values.reserveCapacity(nonzeros)
        columnIndices.reserveCapacity(nonzeros)
        rowStarts.reserveCapacity(rows + 1)
        dense.withUnsafeBufferPointer { w in
            for r in 0..<rows {
                for c in 0..<columns where w[r * columns + c] != 0 {
                    values.append(w[r * columns + c])
                    columnIndices.append(Int32(c))
                }
                rowStarts.append(Int32(values.count))
            }
        }
        self.rows = rows
        self.columns = columns
        self.values = values
        self.columnIndices = columnIndices
        self.rowStarts = rowStarts
    }

    /// The dense row-major matrix.
    public func dense() -> [Float] {
        var out = [Float](repeating: 0, count: rows * columns)
        for r in 0..<rows {
            for i in Int(rowStarts[r])..<Int(rowStarts[r + 1]) { out[r * columns + Int(columnIndices[i])] = values[i] }
        }
        return out
    }
}
