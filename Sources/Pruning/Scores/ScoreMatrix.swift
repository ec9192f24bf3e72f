import TensorModule

/// Importance scores of a weight matrix `[out, in]` in f64 (algorithms.md §0: scores are
/// computed and compared in f64, so products such as Wanda's `|W|·act_norm` do not collapse
/// into ties that f32 would create). Row-major; larger = more important.
public struct ScoreMatrix: Sendable, Equatable {
    /// Output rows (`out`).
    public let rows: Int
    /// Input columns (`in`).
    public let columns: Int
    /// `rows · columns` scores, row-major.
    public var values: [Double]

    /// Scores over the given values; their count must be `rows · columns`.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 0 && columns >= 0 && values.count == rows * columns,
                     "a \(rows)×\(columns) score matrix needs \(rows * columns) values, got \(values.count)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The shape `[out, in]`.
    public var shape: [Int] { [rows, columns] }

    /// The scores as an f32 tensor `[out, in]` (for display; selection uses the f64 values).
    public func tensor() -> Tensor {
        Tensor(shape: shape, f32: values.map { Float($0) })
    }
}

/// Checks shared by the score functions: the weight is a matrix, a statistic has the shape it
/// must have, norms are non-negative.
enum ScoreInputs {
    /// `(out, in)` of a 2-D weight `w`.
    static func matrixShape(_ w: Tensor, name: String = "w") throws -> (rows: Int, columns: Int) {
        guard w.ndim == 2 else {
            throw PruningError("\(name) must be a 2-d weight [out, in], got shape \(formatShape(w.shape))", kind: .shape)
        }
        return (w.shape[0], w.shape[1])
    }

    /// The weights of `w` in f64, every one finite (a NaN or infinity would rank arbitrarily).
    static func finiteWeights(_ w: Tensor, name: String = "w") throws(PruningError) -> [Double] {
        let values = w.doubles()
        try checkFinite(values, columns: w.shape.last ?? 1, what: "\(name) has")
        return values
    }

    /// Throws naming the first non-finite entry of the row-major `values` as `[row, column]`.
    static func checkFinite(_ values: [Double], columns: Int, what: String) throws(PruningError) {
        guard let i = values.firstIndex(where: { !$0.isFinite }) else { return }
        throw PruningError("\(what) a non-finite value (\(formatValue(values[i]))) at [\(i / max(columns, 1)), \(i % max(columns, 1))]")
    }

    /// The elements of `t`, which must have exactly `shape` (`what` says why, for the message)
    /// and hold non-negative numbers (norms).
    static func norms(_ t: Tensor, name: String, shape: [Int], what: String) throws -> [Double] {
        guard t.shape == shape else {
            throw PruningError("\(name) must have shape \(formatShape(shape)) (\(what)), got \(formatShape(t.shape))", kind: .shape)
        }
        let values = t.doubles()
        if let i = values.firstIndex(where: { !($0 >= 0 && $0.isFinite) }) {
            throw PruningError("\(name) holds norms and must be finite and non-negative, got \(formatValue(values[i])) at flat index \(i)")
        }
        return values
    }
}
