import PrunebookLanguage
import TensorModule

/// Linear algebra builtins: products through BLAS, factorizations and solves through LAPACK
/// in f64, with f32 results.
enum LinearAlgebraBuiltins {
    static let all: [Builtin] = [
        matmul, dot, outer, cholesky, inv, solve, choleskyInverse, lstsq, eigh, svd, trace, diag,
    ]

    static let category = "Linear algebra"

    /// `matmul(a, b)`: the matrix product, same as `a @ b`.
    static let matmul = Builtin(
        name: "matmul", category: category,
        parameters: [.required("a", .tensor), .required("b", .tensor)],
        returns: "tensor | number",
        summary: "the matrix product `a @ b` with NumPy `matmul` rules (batch axes broadcast)",
        doc: "A 1-D left operand is a row, a 1-D right operand a column (the added axis is dropped); two 1-D "
            + "operands give their dot product as a number. Leading axes beyond two are batch axes that "
            + "broadcast. The result is f32. An error names both shapes when the inner dimensions differ.",
        example: "matmul([[1, 2], [3, 4]], [1, 1])",
        output: "tensor([3, 7], f32)\n"
    ) { args, _ in
        if let traced = TracedTensor.from(args["a"]) ?? TracedTensor.from(args["b"]) {
            return try traced.matmul(args["a"], args["b"])
        }
        return Value(tensorOrScalar: try TensorArguments.engine(args, "b") {
            try Tensor.matmul(try args.tensor("a"), try args.tensor("b"))
        })
    }

    /// `dot(a, b)`: the dot product of two vectors.
    static let dot = Builtin(
        name: "dot", category: category,
        parameters: [.required("a", .tensor), .required("b", .tensor)],
        returns: "number",
        summary: "the dot product of two 1-D tensors of equal length, as a number",
        doc: "Both operands must be 1-D with the same length (use `@` or `matmul` for matrices). Computed in f32.",
        example: "dot([1, 2, 3], [4, 5, 6])",
        output: "32\n"
    ) { args, _ in
        Value(tensorOrScalar: try TensorArguments.engine(args, "b") { try Tensor.dot(try args.tensor("a"), try args.tensor("b")) })
    }

    /// `outer(a, b)`: the outer product.
    static let outer = Builtin(
        name: "outer", category: category,
        parameters: [.required("a", .tensor), .required("b", .tensor)],
        returns: "tensor",
        summary: "the outer product `a[i] · b[j]` as an `[len(a), len(b)]` f32 matrix",
        doc: "Like NumPy, operands of any shape are flattened first.",
        example: "outer([1, 2], [1, 10, 100])",
        output: "tensor([[  1,  10, 100],\n        [  2,  20, 200]], f32)\n"
    ) { args, _ in
        .tensor(try Tensor.outer(try args.tensor("a"), try args.tensor("b")))
    }

    /// `cholesky(a)`: the lower Cholesky factor.
    static let cholesky = Builtin(
        name: "cholesky", category: category,
        parameters: [.required("a", .tensor)],
        returns: "tensor",
        summary: "the lower-triangular `L` with `a = L @ L.T` for a symmetric positive definite `a`",
        doc: "Only the lower triangle and diagonal of `a` are read (like NumPy). Computed in f64 with LAPACK "
            + "`dpotrf`, returned as f32. An error when `a` is not square or not positive definite.",
        example: "cholesky([[4, 2], [2, 5]])",
        output: "tensor([[2, 0],\n        [1, 2]], f32)\n"
    ) { args, _ in
        .tensor(try TensorArguments.engine(args, "a") { try squareMatrix(args, "a").cholesky() })
    }

    /// `inv(a)`: the matrix inverse.
    static let inv = Builtin(
        name: "inv", category: category,
        parameters: [.required("a", .tensor)],
        returns: "tensor",
        summary: "the inverse of a square matrix",
        doc: "Computed in f64 by LU factorization (LAPACK `dgesv`), returned as f32. An error when `a` is not "
            + "square or singular. To solve `a x = b` prefer `solve(a, b)`.",
        example: "inv([[2, 0], [0, 4]])",
        output: "tensor([[0.5000, 0.0000],\n        [0.0000, 0.2500]], f32)\n"
    ) { args, _ in
        .tensor(try TensorArguments.engine(args, "a") { try squareMatrix(args, "a").inv() })
    }

    /// `solve(a, b)`: the solution of a x = b.
    static let solve = Builtin(
        name: "solve", category: category,
        parameters: [.required("a", .tensor), .required("b", .tensor)],
        returns: "tensor",
        summary: "the solution `x` of `a @ x = b` for a square `a`; `b` is `[n]` or `[n, k]`",
        doc: "Computed in f64 by LU factorization with partial pivoting (LAPACK `dgesv`), returned as f32 with "
            + "the shape of `b`. An error when `a` is not square, is singular, or `b` has a different number of rows.",
        example: "solve([[2, 1], [1, 3]], [3, 5])",
        output: "tensor([0.8000, 1.4000], f32)\n"
    ) { args, _ in
        .tensor(try TensorArguments.engine(args, "a") { try Tensor.solve(try squareMatrix(args, "a"), try args.tensor("b")) })
    }

    /// `cholesky_inverse(l)`: the inverse of L Lᵀ from its Cholesky factor.
    static let choleskyInverse = Builtin(
        name: "cholesky_inverse", category: category,
        parameters: [.required("l", .tensor)],
        returns: "tensor",
        summary: "`inv(l @ l.T)` from a lower-triangular Cholesky factor `l`, like `torch.cholesky_inverse`",
        doc: "Only the lower triangle of `l` is read; the result is exactly symmetric (LAPACK `dpotri` in f64, "
            + "returned as f32). An error when `l` is not square or has a zero on its diagonal.",
        example: "cholesky_inverse(cholesky([[4, 2], [2, 5]]))",
        output: "tensor([[ 0.3125, -0.1250],\n        [-0.1250,  0.2500]], f32)\n"
    ) { args, _ in
        .tensor(try TensorArguments.engine(args, "l") { try squareMatrix(args, "l").choleskyInverse() })
    }

    /// `lstsq(a, b)`: the least-squares solution.
    static let lstsq = Builtin(
        name: "lstsq", category: category,
        parameters: [.required("a", .tensor), .required("b", .tensor)],
        returns: "tensor",
        summary: "the `x` minimising `‖a @ x − b‖` for an `[m, n]` matrix `a`; `b` is `[m]` or `[m, k]`",
        doc: "The minimum-norm solution when `a` is rank-deficient (LAPACK `dgelsd` in f64 with NumPy's default "
            + "cutoff), returned as f32: `[n]` for a 1-D `b`, else `[n, k]`.",
        example: "lstsq([[1, 0], [0, 1], [1, 1]], [1, 2, 3])",
        output: "tensor([1, 2], f32)\n"
    ) { args, _ in
        .tensor(try TensorArguments.engine(args, "b") { try Tensor.lstsq(try args.tensor("a"), try args.tensor("b")) })
    }

    /// `eigh(a)`: eigen-decomposition of a symmetric matrix.
    static let eigh = Builtin(
        name: "eigh", category: category,
        parameters: [.required("a", .tensor)],
        returns: "record",
        summary: "eigenvalues (ascending) and unit eigenvectors (columns) of a symmetric matrix as `{values, vectors}`",
        doc: "Only the lower triangle of `a` is read (LAPACK `dsyevd` in f64, returned as f32). `vectors[:, i]` "
            + "belongs to `values[i]`; each is signed so its largest-magnitude component is positive, making "
            + "the output the same on every machine.",
        example: "eigh([[2, 0], [0, 1]])",
        output: "{values: tensor([1, 2], f32), vectors: tensor([[0, 1],\n        [1, 0]], f32)}\n"
    ) { args, _ in
        let result = try squareMatrix(args, "a").eigh()
        return .record(Record([("values", .tensor(result.values)), ("vectors", .tensor(result.vectors))]))
    }

    /// `svd(a)`: the thin singular value decomposition.
    static let svd = Builtin(
        name: "svd", category: category,
        parameters: [.required("a", .tensor)],
        returns: "record",
        summary: "the thin SVD `a = u @ diag(s) @ vt` as `{u, s, vt}`, singular values descending",
        doc: "For an `[m, n]` matrix with `r = min(m, n)`: `u` is `[m, r]`, `s` is `[r]`, `vt` is `[r, n]` "
            + "(NumPy's `full_matrices=False`). LAPACK `dgesdd` in f64, returned as f32; each column of `u` is "
            + "signed so its largest-magnitude component is positive (with the matching row of `vt`).",
        example: "svd([[3, 0], [0, -2]]).s",
        output: "tensor([3, 2], f32)\n"
    ) { args, _ in
        let a = try args.tensor("a")
        guard a.ndim == 2 else {
            throw args.error("a", "`a` must be a 2-d matrix, got shape \(formatShape(a.shape))")
        }
        let result = try a.svd()
        return .record(Record([("u", .tensor(result.u)), ("s", .tensor(result.s)), ("vt", .tensor(result.vt))]))
    }

    /// `trace(a)`: the sum of the diagonal.
    static let trace = Builtin(
        name: "trace", category: category,
        parameters: [.required("a", .tensor)],
        returns: "number",
        summary: "the sum of the main diagonal of a matrix, as a number",
        doc: "For a non-square `[m, n]` matrix the first `min(m, n)` diagonal entries are summed.",
        example: "trace([[1, 2], [3, 4]])",
        output: "5\n"
    ) { args, _ in
        let a = try args.tensor("a")
        guard a.ndim == 2 else {
            throw args.error("a", "`a` must be a 2-d matrix, got shape \(formatShape(a.shape))")
        }
        return Value(tensorOrScalar: try a.trace())
    }

    /// `diag(t)`: a diagonal matrix from a vector, or the diagonal of a matrix.
    static let diag = Builtin(
        name: "diag", category: category,
        parameters: [.required("t", .tensor)],
        returns: "tensor",
        summary: "a 1-D tensor → the square matrix with it on the diagonal; a matrix → its main diagonal",
        doc: "Like NumPy's `diag`; the dtype is kept (zeros or false off the diagonal). An error for other ranks.",
        example: "diag([1, 2])",
        output: "tensor([[1, 0],\n        [0, 2]], f32)\n"
    ) { args, _ in
        let t = try args.tensor("t")
        guard t.ndim == 1 || t.ndim == 2 else {
            throw args.error("t", "`t` must be 1-d or 2-d, got shape \(formatShape(t.shape))")
        }
        return .tensor(try t.diag())
    }

    /// Parameter `name` as a square matrix, or an error naming the parameter and its shape.
    private static func squareMatrix(_ args: Arguments, _ name: String) throws -> Tensor {
        let a = try args.tensor(name)
        guard a.ndim == 2, a.shape[0] == a.shape[1] else {
            throw args.error(name, "`\(name)` must be a square matrix, got shape \(formatShape(a.shape))")
        }
        return a
    }
}
