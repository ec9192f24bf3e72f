import Foundation
import Models
import PrunebookLanguage
import Sparse
import TensorModule

/// A compressed matrix as a language value (`to_nm`, `to_csr`): `@` multiplies it by a
/// vector or matrix with the sparse kernels, `to_dense` expands it, `nbytes` is its storage,
/// and its display shows how much smaller than dense it is.
struct SparseMatrixHandle: HandleValue {
    let matrix: any SparseMatrix

    var typeName: String { "sparse" }

    var byteCount: Int? { matrix.nbytes }

    /// `sparse(2:4 f32, [4096, 4096], 8388608 stored, 34.0 MiB, 1.88× smaller than dense)` (or
    /// "larger": CSR below 50% sparsity, a tiny n:m matrix padded to a block of 8 rows).
    func display() -> String {
        let a = matrix, dense = a.rows * a.columns * 4
        let ratio: String
        if a.nbytes == 0 {
            ratio = "empty"
        } else if a.nbytes <= dense {
            ratio = fixedDecimal(Double(dense) / Double(a.nbytes), decimals: 2) + "× smaller than dense"
        } else {
            ratio = fixedDecimal(Double(a.nbytes) / Double(dense), decimals: 2) + "× larger than dense"
        }
        return "sparse(\(a.formatName), [\(a.rows), \(a.columns)], \(a.storedValues) stored, \(formatByteCount(a.nbytes)), \(ratio))"
    }

    var fieldNames: [String] { ["shape", "format", "nbytes", "stored"] }

    func field(_ name: String) -> Value? {
        switch name {
        case "shape": return .list([.number(Double(matrix.rows)), .number(Double(matrix.columns))])
        case "format": return .string(matrix.formatName)
        case "nbytes": return .number(Double(matrix.nbytes))
        case "stored": return .number(Double(matrix.storedValues))
        default: return nil
        }
    }

    /// The dense matrix.
    func dense() -> Tensor { Tensor(shape: [matrix.rows, matrix.columns], f32: matrix.dense()) }

    /// `self @ x` for a vector `[columns]` (→ `[rows]`) or a matrix `[columns, k]` (→ `[rows, k]`).
    func multiply(_ x: Tensor, threads: Int) throws -> Tensor {
        let values = (x.dtype == .f32 ? x : x.astype(.f32)).floats()
        switch x.ndim {
        case 1: return Tensor(shape: [matrix.rows], f32: try matrix.multiply(vector: values, threads: threads))
        case 2: return Tensor(shape: [matrix.rows, x.shape[1]], f32: try matrix.multiply(matrix: values, k: x.shape[1], threads: threads))
        default:
            throw PrunebookError(.shape, "shape mismatch in `@`: a sparse matrix multiplies a vector [\(matrix.columns)] or a matrix [\(matrix.columns), k], got \(formatShape(x.shape))")
        }
    }

    func binary(_ op: BinaryOperator, _ other: Value, handleOnLeft: Bool) throws -> Value? {
        guard op == .matmul else { return nil }
        guard handleOnLeft else {
            throw PrunebookError(.type, "`@` takes the sparse matrix on the left (s @ x); for x @ s write transpose(s @ transpose(x)) with s compressed from transpose(w)")
        }
        return .tensor(try multiply(try other.asTensor(), threads: SparseMatrixHandle.defaultThreads))
    }

    /// The threads products use unless told otherwise: every core.
    static let defaultThreads = ProcessInfo.processInfo.activeProcessorCount
}

/// A compressed matrix as the forward's kernel for one linear layer (`compress`).
struct SparseLinear: LinearKernel {
    let matrix: any SparseMatrix

    var nbytes: Int { matrix.nbytes }

    func linear(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, positions: Int, accumulate: Bool, threads: Int) {
        matrix.linear(out, x, positions: positions, accumulate: accumulate, threads: threads)
    }
}

extension SparseError: LanguageErrorConvertible {
    /// Wrong shapes are `shape` errors, the rest `value` errors.
    public var prunebookError: PrunebookError {
        PrunebookError(kind == .shape ? .shape : .value, message)
    }
}
