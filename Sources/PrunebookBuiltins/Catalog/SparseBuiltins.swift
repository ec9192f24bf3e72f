import Models
import PrunebookLanguage
import Sparse
import TensorModule

/// Sparse kernels: compressed n:m and CSR matrices, their products and sizes.
enum SparseBuiltins {
    static let all: [Builtin] = [toNM, toCSR, toDense, nbytes, spmv, spmm, compress]

    static let category = "Sparse kernels"

    /// `to_nm(w, n, m, prune: false, dtype: "f32")`: the compressed n:m form of a 2-D tensor.
    static let toNM = Builtin(
        name: "to_nm", category: category,
        parameters: [.required("w", .tensor), .required("n", .integer), .required("m", .integer),
                     .optional("prune", .bool, .bool(false)),
                     .optional("dtype", .choice(NMMatrix.Storage.allCases.map(\.rawValue)), .string("f32"))],
        returns: "sparse",
        summary: "compress a 2-D tensor whose every group of `m` consecutive columns has at most `n` nonzeros: "
            + "kept values plus ⌈log₂ m⌉-bit positions",
        doc: "The kept values are stored row by row (`dtype: \"f16\"` halves them, rounding to nearest; products "
            + "still run in f32) with each value's position inside its group packed in ⌈log₂ m⌉ bits (2 for 2:4), "
            + "so 2:4 in f32 takes 0.53× the dense bytes and in f16 0.28×. A group with fewer than n nonzeros "
            + "stores explicit zeros. A tensor that is not n:m is an error counting the groups that break the "
            + "pattern, unless `prune: true`, which keeps each group's `n` largest magnitudes (the lower "
            + "position on ties). The column count must be a multiple of `m`, and `m` at most 16. Rows are stored "
            + "in blocks of 8 (a matrix of fewer rows is padded, so its bytes round up). `s @ x` multiplies by a "
            + "vector or a matrix with the sparse kernels; `to_dense(s)` expands it.",
        example: "w = magnitude(randn([8, 16], seed: 0), nm: [2, 4]).weights\ns = to_nm(w, 2, 4)\nprint(s)\n"
            + "x = randn([16], seed: 1)\nprint(max(abs(s @ x - w @ x)) < 1e-6, all(to_dense(s) == w))",
        output: "sparse(2:4 f32, [8, 16], 64 stored, 272 B, 1.88× smaller than dense)\ntrue true\n"
    ) { args, _ in
        let w = try matrix(args, "w")
        let n = try args.int("n"), m = try args.int("m")
        try MaskBuiltins.checkNM(args, n: n, m: m)
        let storage = NMMatrix.Storage(rawValue: try args.string("dtype")) ?? .f32
        let prune = try args.bool("prune")
        let compressed = try PruningBuiltins.engine(args, "w") { () throws(SparseError) in
            try NMMatrix(dense: w.floats(), rows: w.shape[0], columns: w.shape[1], n: n, m: m, storage: storage,
                         prune: prune)
        }
        return .handle(SparseMatrixHandle(matrix: compressed))
    }

    /// `to_csr(w)`: the compressed sparse row form of a 2-D tensor.
    static let toCSR = Builtin(
        name: "to_csr", category: category,
        parameters: [.required("w", .tensor)],
        returns: "sparse",
        summary: "compress a 2-D tensor to CSR: its nonzeros row by row with 32-bit column indices",
        doc: "The layout of SciPy's `csr_matrix`: values (f32), column indices (i32) and row starts (i32), so the "
            + "size is 8 bytes per nonzero plus 4 per row; it beats dense from about 50% sparsity. Exact zeros are "
            + "dropped. `s @ x` multiplies by a vector or a matrix; `to_dense(s)` expands it.",
        example: "s = to_csr(tensor([[0, 0, 3], [0, 0, 0], [1, 0, 0]]))\nprint(s)\ns @ tensor([1, 2, 3])",
        output: "sparse(csr, [3, 3], 2 stored, 32 B, 1.12× smaller than dense)\ntensor([9, 0, 1], f32)\n"
    ) { args, _ in
        let w = try matrix(args, "w")
        let compressed = try PruningBuiltins.engine(args, "w") { () throws(SparseError) in
            try CSRMatrix(dense: w.floats(), rows: w.shape[0], columns: w.shape[1])
        }
        return .handle(SparseMatrixHandle(matrix: compressed))
    }

    /// `to_dense(s)`: a compressed matrix expanded.
    static let toDense = Builtin(
        name: "to_dense", category: category,
        parameters: [.required("s", .any)],
        returns: "tensor",
        summary: "the dense f32 tensor of a compressed matrix (`to_nm`, `to_csr`); a tensor is returned as it is",
        doc: "Zeros where nothing is stored; values stored in f16 come back as their f16 roundings.",
        example: "to_dense(to_nm(tensor([[1, 2, 3, 4]]), 2, 4, prune: true))",
        output: "tensor([[0, 0, 3, 4]], f32)\n"
    ) { args, _ in
        if case .tensor(let t) = args["s"] { return .tensor(t) }
        return .tensor(try sparse(args, "s").dense())
    }

    /// `nbytes(x)`: the bytes a value's data occupies.
    static let nbytes = Builtin(
        name: "nbytes", category: category,
        parameters: [.required("x", .any)],
        returns: "number",
        summary: "the bytes of a value's data: 4 per f32 or i32 element, 1 per bool, a compressed matrix's storage",
        doc: "A tensor counts its elements' bytes; a compressed matrix its values and indices; a number 8, a "
            + "string its UTF-8 length; lists and records sum their entries (what `:vars` shows). Functions and "
            + "ranges have no size (an error).",
        example: "w = randn([64, 64], seed: 0)\nprint(nbytes(w), nbytes(to_nm(w, 2, 4, prune: true)), nbytes(to_nm(w, 2, 4, prune: true, dtype: \"f16\")))",
        output: "16384 8704 4608\n"
    ) { args, _ in
        guard let bytes = args["x"].byteCount else {
            throw args.error("x", "a \(args["x"].typeName) has no size in bytes")
        }
        return .number(Double(bytes))
    }

    /// `spmv(s, x, threads)`: a compressed matrix times a vector.
    static let spmv = Builtin(
        name: "spmv", category: category,
        parameters: [.required("s", .any), .required("x", .tensor), .optional("threads", .optional(.integer), .nilValue)],
        returns: "tensor",
        summary: "`s @ x` for a compressed matrix `s` and a vector `x`, over `threads` threads (default: every core)",
        doc: "Rows are split over the threads only when the product is large enough to gain from it; the result "
            + "does not depend on the thread count. `s @ x` is the same product with every core.",
        example: "spmv(to_csr(eye(3) * 2), tensor([1, 2, 3]), threads: 1)",
        output: "tensor([2, 4, 6], f32)\n"
    ) { args, _ in
        try product(args, ndim: 1)
    }

    /// `spmm(s, x, threads)`: a compressed matrix times a matrix.
    static let spmm = Builtin(
        name: "spmm", category: category,
        parameters: [.required("s", .any), .required("x", .tensor), .optional("threads", .optional(.integer), .nilValue)],
        returns: "tensor",
        summary: "`s @ x` for a compressed matrix `s` `[r, c]` and a matrix `x` `[c, k]` → `[r, k]`, over `threads` threads",
        doc: "Each stored value adds its multiple of a row of `x` to a row of the result (vectorised over `k`), "
            + "so small `k` (a few decoding positions) costs little more than one vector.",
        example: "spmm(to_nm(tensor([[1, 2, 0, 0]]), 2, 4), tensor([[1, 0], [0, 1], [5, 5], [5, 5]]))",
        output: "tensor([[1, 2]], f32)\n"
    ) { args, _ in
        try product(args, ndim: 2)
    }

    /// `compress(model, format: "nm", nm: [2, 4], dtype: "f32")`: the model with its block
    /// linears stored compressed.
    static let compress = Builtin(
        name: "compress", category: category,
        parameters: [.required("model", .any), .optional("format", .choice(["nm", "csr"]), .string("nm")),
                     .optional("nm", .list, .list([.number(2), .number(4)])),
                     .optional("dtype", .choice(NMMatrix.Storage.allCases.map(\.rawValue)), .string("f32"))],
        returns: "model",
        summary: "the model with every block linear compressed (`format: \"nm\"` n:m, or `\"csr\"`), so `logits`, "
            + "`perplexity` and `generate` run the sparse kernels",
        doc: "Each of `wq wk wv wo w1 w2 w3` in every block is stored as `to_nm(w, n, m, dtype: dtype)` or `to_csr(w)` "
            + "and the forward multiplies through it (one position: the GEMV kernel; a window: SpMM), giving the "
            + "uncompressed model's outputs within float rounding. With `nm` every linear must already be n:m "
            + "(prune it first, e.g. `prune_model(m, \"sparsegpt\", nm: [2, 4], calib: ...)`); the error names the "
            + "first layer that is not. `nbytes(model)` counts compressed linears at their compressed size. The "
            + "dense weights stay readable; assigning a new weight (or re-masking one) returns that layer to the "
            + "dense product. Embeddings, norms and the classifier stay dense.",
        example: "m = init_model({dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, vocab_size: 32, seq_len: 8})\n"
            + "for name in [\"wq\", \"wk\", \"wv\", \"wo\", \"w1\", \"w2\", \"w3\"] {\n"
            + "  m.layers[0][name] = magnitude(m.layers[0][name], nm: [2, 4]).weights\n}\n"
            + "c = compress(m, nm: [2, 4])\nprint(c)\nt = tensor([1, 5, 9, 3], dtype: \"i32\")\n"
            + "print(max(abs(logits(c, t) - logits(m, t))) < 1e-5, nbytes(m), nbytes(c))",
        output: "model(llama: dim 16, 1 layers, heads 2 (kv 2), hidden 32, vocab 32, seq_len 8, 3,120 parameters, "
            + "tied embeddings, 7 compressed linears)\ntrue 12480 7680\n"
    ) { args, _ in
        var model = try args.model("model")
        let format = try args.string("format")
        let storage = NMMatrix.Storage(rawValue: try args.string("dtype")) ?? .f32
        let pattern = try PruningBuiltins.nmPair(args, "nm")
        guard pattern.n > 0, pattern.m > 0, pattern.n <= pattern.m else {
            throw args.error("nm", "an n:m pattern keeps n of every m and needs 0 < n ≤ m, got n = \(pattern.n), m = \(pattern.m)")
        }
        var compressed: [String: CompressedLinear] = [:]
        for (key, w) in model.blockLinears {
            let matrix: any SparseMatrix
            do throws(SparseError) {
                if format == "csr" {
                    matrix = try CSRMatrix(dense: w.floats(), rows: w.shape[0], columns: w.shape[1])
                } else {
                    matrix = try NMMatrix(dense: w.floats(), rows: w.shape[0], columns: w.shape[1], n: pattern.n, m: pattern.m,
                                          storage: storage)
                }
            } catch {
                throw args.error("model", "\(key) of shape \(formatShape(w.shape)): \(error.message)",
                                 kind: error.kind == .shape ? .shape : .value)
            }
            compressed[key] = CompressedLinear(source: w, kernel: SparseLinear(matrix: matrix))
        }
        model.weights.compressed = compressed
        return .handle(model)
    }

    /// The product of `spmv` / `spmm`, checking that `x` has `ndim` dimensions.
    private static func product(_ args: Arguments, ndim: Int) throws -> Value {
        let s = try sparse(args, "s")
        let x = try args.tensor("x")
        guard x.ndim == ndim else {
            throw args.error("x", "`x` must be \(ndim == 1 ? "a vector" : "a matrix [c, k]"), got shape \(formatShape(x.shape))",
                             kind: .shape)
        }
        let threads = try args.optionalInt("threads") ?? SparseMatrixHandle.defaultThreads
        guard threads >= 1 else { throw args.error("threads", "`threads` must be at least 1, got \(threads)", kind: .value) }
        return .tensor(try s.multiply(x, threads: threads))
    }

    /// Argument `name` as a compressed matrix.
    private static func sparse(_ args: Arguments, _ name: String) throws -> SparseMatrixHandle {
        guard case .handle(let h) = args[name], let s = h as? SparseMatrixHandle else {
            throw args.error(name, "`\(name)` expects a compressed matrix (from `to_nm` or `to_csr`), got \(args[name].typeName)")
        }
        return s
    }

    /// Argument `name` as a 2-D f32 tensor.
    private static func matrix(_ args: Arguments, _ name: String) throws -> Tensor {
        let t = try args.tensor(name)
        guard t.ndim == 2 else {
            throw args.error(name, "`\(name)` must be a 2-D tensor, got shape \(formatShape(t.shape))", kind: .shape)
        }
        return t.dtype == .f32 ? t : t.astype(.f32)
    }
}
