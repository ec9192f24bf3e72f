import PrunebookLanguage
import TensorModule

/// Tensor shape builtins: inspecting (`shape`, `ndim`, `numel`, `dtype`), relabelling
/// (`reshape`, `flatten`, `squeeze`, `unsqueeze`), permuting (`transpose`), joining
/// (`concat`, `stack`), repeating (`tile`) and converting (`astype`). Every one accepts a
/// (nested) list wherever it takes a tensor, and the reshaping ones always return a tensor
/// (like NumPy, `reshape(t, [])` and `squeeze` can give a 0-d tensor; only reductions and
/// indexing turn a 0-d result into a number).
enum ShapeBuiltins {
    static let all: [Builtin] = [
        shape, ndim, numel, dtype, reshape, transpose, flatten, squeeze, unsqueeze, concat, stack, tile, astype,
    ]

    static let category = "Tensors: shape"

    /// `shape(t)`: the extents as a list.
    static let shape = Builtin(
        name: "shape", category: category,
        parameters: [.required("t", .tensor)],
        returns: "list",
        summary: "the length of each axis, as a list of numbers (`[]` for a number)",
        example: "shape(zeros([2, 3]))",
        output: "[2, 3]\n"
    ) { args, _ in
        .list(try TracedTensor.readable(args, "t").shape.map { .number(Double($0)) })
    }

    /// `ndim(t)`: the number of axes.
    static let ndim = Builtin(
        name: "ndim", category: category,
        parameters: [.required("t", .tensor)],
        returns: "number",
        summary: "the number of axes (0 for a number)",
        example: "ndim([[1, 2], [3, 4]])",
        output: "2\n"
    ) { args, _ in
        .number(Double(try TracedTensor.readable(args, "t").ndim))
    }

    /// `numel(t)`: the number of elements.
    static let numel = Builtin(
        name: "numel", category: category,
        parameters: [.required("t", .tensor)],
        returns: "number",
        summary: "the number of elements (the product of the shape; 1 for a number)",
        example: "numel(zeros([2, 3, 4]))",
        output: "24\n"
    ) { args, _ in
        .number(Double(try TracedTensor.readable(args, "t").count))
    }

    /// `dtype(t)`: the element type's name.
    static let dtype = Builtin(
        name: "dtype", category: category,
        parameters: [.required("t", .tensor)],
        returns: "string",
        summary: "the element type: \"f32\", \"i32\" or \"bool\"",
        doc: "A number counts as \"f32\" and a bool as \"bool\", like `tensor` infers them.",
        example: "[dtype([1, 2]), dtype(arange(3) > 1), dtype(astype([1.5], \"i32\"))]",
        output: "[\"f32\", \"bool\", \"i32\"]\n"
    ) { args, _ in
        .string(try TracedTensor.readable(args, "t").dtype.rawValue)
    }

    /// `reshape(t, shape)`: the same elements in a new shape.
    static let reshape = Builtin(
        name: "reshape", category: category,
        parameters: [.required("t", .tensor), .required("shape", .shape)],
        returns: "tensor",
        summary: "the same elements (row-major) in a new shape; one extent may be -1 and is inferred",
        doc: "The element count must stay the same: `reshape(zeros([2, 3]), [3, 2])` works, `[4, 2]` is an "
            + "error that shows both shapes. At most one extent may be -1. Does not copy the elements.",
        example: "reshape(arange(6), [2, -1])",
        output: "tensor([[0, 1, 2],\n        [3, 4, 5]], f32)\n"
    ) { args, _ in
        let newShape = try TensorArguments.extents(args, "shape", allowInferred: true)
        if let traced = TracedTensor.from(args["t"]) {
            let shape = try TensorArguments.engine(args, "shape") { try traced.primal.reshaped(newShape).shape }
            return traced.traced(try traced.tape.reshape(traced.variable, shape))
        }
        let t = try args.tensor("t")
        var known = 1
        for extent in newShape where extent != -1 {
            let (product, overflow) = known.multipliedReportingOverflow(by: extent)
            guard !overflow else {
                throw args.error("shape", "cannot reshape \(formatShape(t.shape)) (\(t.count) elements) into \(formatShape(newShape))")
            }
            known = product
        }
        return .tensor(try TensorArguments.engine(args, "shape") { try t.reshaped(newShape) })
    }

    /// `transpose(t, axes: nil)`: the axes permuted.
    static let transpose = Builtin(
        name: "transpose", category: category,
        parameters: [.required("t", .tensor), .optional("axes", .optional(.list), .nilValue)],
        returns: "tensor",
        summary: "the axes permuted: reversed by default (the matrix transpose), or in the order `axes` gives",
        doc: "Result axis `i` is axis `axes[i]` of `t` (NumPy's `transpose`); `axes` must be a permutation of "
            + "all axes, negative values counting from the end. `t.T` is the same as `transpose(t)`. Copies.",
        example: "print(transpose([[1, 2, 3], [4, 5, 6]]))\nshape(transpose(zeros([2, 3, 4]), axes: [1, 2, 0]))",
        output: "tensor([[1, 4],\n        [2, 5],\n        [3, 6]], f32)\n[3, 4, 2]\n"
    ) { args, _ in
        let axes = args.isNil("axes") ? nil : try TensorArguments.integers(args, "axes")
        if let traced = TracedTensor.from(args["t"]) { return try traced.transposed(axes) }
        let t = try args.tensor("t")
        return .tensor(try TensorArguments.engine(args, "axes") { try t.transposed(axes) })
    }

    /// `flatten(t)`: the elements as a 1-D tensor.
    static let flatten = Builtin(
        name: "flatten", category: category,
        parameters: [.required("t", .tensor)],
        returns: "tensor",
        summary: "the elements as a 1-D tensor, in row-major order",
        example: "flatten([[1, 2], [3, 4]])",
        output: "tensor([1, 2, 3, 4], f32)\n"
    ) { args, _ in
        .tensor(try args.tensor("t").flattened())
    }

    /// `squeeze(t, axis: nil)`: without size-1 axes.
    static let squeeze = Builtin(
        name: "squeeze", category: category,
        parameters: [.required("t", .tensor), .optional("axis", .optional(.integer), .nilValue)],
        returns: "tensor",
        summary: "without every size-1 axis, or without just `axis` (which must have size 1)",
        doc: "Squeezing every axis of a 1-element tensor gives a 0-d tensor (`num` or `sum` turn it into a number).",
        example: "shape(squeeze(zeros([1, 3, 1])))",
        output: "[3]\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let axis = try TensorArguments.axis(args, "axis", ndim: t.ndim)
        return .tensor(try TensorArguments.engine(args, "axis") { try t.squeezed(axis: axis) })
    }

    /// `unsqueeze(t, axis)`: with a new size-1 axis.
    static let unsqueeze = Builtin(
        name: "unsqueeze", category: category,
        parameters: [.required("t", .tensor), .required("axis", .integer)],
        returns: "tensor",
        summary: "with a new size-1 axis at position `axis` of the result",
        doc: "`axis` ranges over the result's axes: 0 prepends, -1 appends (like `torch.unsqueeze`).",
        example: "[shape(unsqueeze([1, 2, 3], 0)), shape(unsqueeze([1, 2, 3], -1))]",
        output: "[[1, 3], [3, 1]]\n"
    ) { args, _ in
        let t = try args.tensor("t")
        let axis = try TensorArguments.normalize(args, "axis", try args.int("axis"), ndim: t.ndim + 1)
        return .tensor(try TensorArguments.engine(args, "axis") { try t.unsqueezed(axis: axis) })
    }

    /// `concat(list, axis: 0)`: tensors joined along an existing axis.
    static let concat = Builtin(
        name: "concat", category: category,
        parameters: [.required("list", .list), .optional("axis", .integer, .number(0))],
        returns: "tensor",
        summary: "the tensors of `list` joined along an existing `axis`",
        doc: "All extents but `axis` must agree (the error shows both shapes). Mixed dtypes promote: "
            + "bool < i32 < f32. Numbers have no axis to join along: use `stack` for them.",
        example: "concat([[[1, 2]], [[3, 4], [5, 6]]])",
        output: "tensor([[1, 2],\n        [3, 4],\n        [5, 6]], f32)\n"
    ) { args, _ in
        let tensors = try tensorList(args)
        if let index = tensors.firstIndex(where: { $0.ndim == 0 }) {
            throw args.error("list", "item \(index) of `list` is 0-d (a number) and has no axis to join along; use `stack`")
        }
        let axis = try TensorArguments.normalize(args, "axis", try args.int("axis"), ndim: tensors.first?.ndim ?? 1)
        return .tensor(try TensorArguments.engine(args, "list") { try Tensor.concat(tensors, axis: axis) })
    }

    /// `stack(list, axis: 0)`: equal-shaped tensors joined along a new axis.
    static let stack = Builtin(
        name: "stack", category: category,
        parameters: [.required("list", .list), .optional("axis", .integer, .number(0))],
        returns: "tensor",
        summary: "the tensors of `list`, which must share one shape, joined along a new `axis`",
        doc: "`axis` ranges over the result's axes (-1 stacks last). Mixed dtypes promote: bool < i32 < f32. "
            + "Numbers stack into a 1-D tensor.",
        example: "stack([[1, 2], [3, 4]], axis: 1)",
        output: "tensor([[1, 3],\n        [2, 4]], f32)\n"
    ) { args, _ in
        let tensors = try tensorList(args)
        let first = tensors.first
        let axis = try TensorArguments.normalize(args, "axis", try args.int("axis"), ndim: (first?.ndim ?? 0) + 1)
        return .tensor(try TensorArguments.engine(args, "list") { try Tensor.stack(tensors, axis: axis) })
    }

    /// `tile(t, reps)`: the tensor repeated along each axis.
    static let tile = Builtin(
        name: "tile", category: category,
        parameters: [.required("t", .tensor), .required("reps", .shape)],
        returns: "tensor",
        summary: "the tensor repeated `reps[i]` times along axis `i` (NumPy's `tile`)",
        doc: "`reps` is a list of non-negative integers (or one integer). A shorter `reps` repeats the last "
            + "axes; a longer one adds leading axes.",
        example: "tile([[1, 2]], [2, 3])",
        output: "tensor([[1, 2, 1, 2, 1, 2],\n        [1, 2, 1, 2, 1, 2]], f32)\n"
    ) { args, context in
        let t = try args.tensor("t")
        let reps = try TensorArguments.extents(args, "reps")
        let n = max(t.ndim, reps.count)
        let source = [Int](repeating: 1, count: n - t.ndim) + t.shape
        let padded = [Int](repeating: 1, count: n - reps.count) + reps
        let result = zip(source, padded).map { extent, rep in
            let (product, overflow) = extent.multipliedReportingOverflow(by: rep)
            return overflow ? Int.max : product
        }
        try TensorArguments.checkSize(args, context, "reps", shape: result, dtype: t.dtype)
        return .tensor(try TensorArguments.engine(args, "reps") { try t.tiled(reps) })
    }

    /// `astype(t, dtype)`: the elements converted to another dtype.
    static let astype = Builtin(
        name: "astype", category: category,
        parameters: [.required("t", .tensor), .required("dtype", TensorArguments.dtypeType)],
        returns: "tensor",
        summary: "the tensor converted to \"f32\", \"i32\" or \"bool\"",
        doc: "Like NumPy's `astype`: f32 to i32 truncates toward zero (saturating at the i32 range, NaN to 0), "
            + "any type to bool is `x != 0`, bool to numbers is 0/1. Converting to the same dtype returns the "
            + "tensor unchanged.",
        example: "astype([-1.7, 0, 2.9], \"i32\")",
        output: "tensor([-1,  0,  2], i32)\n"
    ) { args, _ in
        let t = try args.tensor("t")
        guard let dtype = try TensorArguments.dtype(args, "dtype") else {
            throw args.error("dtype", "`dtype` must be one of \"f32\", \"i32\", \"bool\"")
        }
        return .tensor(t.astype(dtype))
    }

    /// The `list` argument of `concat`/`stack` as tensors (lists and numbers converted).
    static func tensorList(_ args: Arguments) throws -> [Tensor] {
        let items = try args.list("list")
        guard !items.isEmpty else { throw args.error("list", "`list` must hold at least one tensor, got []") }
        return try items.enumerated().map { index, item in
            do {
                return try item.asTensor()
            } catch let error as PrunebookError {
                throw args.error("list", "item \(index) of `list`: \(error.message)")
            }
        }
    }
}
