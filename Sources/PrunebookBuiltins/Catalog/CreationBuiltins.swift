import PrunebookLanguage
import TensorModule

/// Tensor creation: from lists, filled (`zeros`, `ones`, `full`, `eye`), ranges (`arange`,
/// `linspace`) and random (`randn`, `rand`, `randint`, `seed`). Random builtins draw from the
/// run's seeded stream (`RunContext.random`, reset to seed 0 at the start of every run) or,
/// given `seed:`, from a fresh stream, so results are the same on every machine.
enum CreationBuiltins {
    static let all: [Builtin] = [tensor, zeros, ones, full, eye, arange, linspace, randn, rand, randint, seed]

    static let category = "Tensors: creation"

    /// `tensor(list, dtype: nil)`: a tensor from a (nested) list.
    static let tensor = Builtin(
        name: "tensor", category: category,
        parameters: [.required("list", .either(.list, .tensor)),
                     .optional("dtype", .optional(TensorArguments.dtypeType), .nilValue)],
        returns: "tensor",
        summary: "a tensor from a (nested) list of numbers or bools or a range, optionally converted to `dtype`",
        doc: "The nesting gives the shape: `[[1, 2], [3, 4]]` is `[2, 2]`; every list at one depth must have "
            + "the same length (a ragged list is an error). Items may also be tensors of equal shape, which "
            + "are stacked; a range gives its numbers (`tensor(range(4))`, as NumPy's `np.array(range(4))`). Without `dtype` the type is inferred: all bools give a bool tensor, anything else "
            + "f32. With `dtype` (\"f32\", \"i32\" or \"bool\") the values are converted as `astype` does "
            + "(i32 truncates toward zero). Given a tensor, returns it (converted when `dtype` is given). A "
            + "bare number is an error: use `full([1], x)` for a 1-element tensor.",
        example: "print(tensor([[1, 2], [3, 4]]))\nprint(tensor([true, false]))\ntensor([1.7, -2.5], dtype: \"i32\")",
        output: "tensor([[1, 2],\n        [3, 4]], f32)\ntensor([ true, false], bool)\ntensor([ 1, -2], i32)\n"
    ) { args, _ in
        let dtype = try TensorArguments.dtype(args, "dtype")
        switch args["list"] {
        case .tensor(let t):
            return .tensor(dtype.map { t.astype($0) } ?? t)
        case .range:
            let t = try args.tensor("list")
            return .tensor(dtype.map { t.astype($0) } ?? t)
        case .list(let items):
            do {
                return .tensor(try Value.tensorFromList(.list(items), dtype: dtype))
            } catch let error as PrunebookError {
                throw args.error("list", error.message)
            }
        case let other:
            throw args.error("list", "`list` expects a (nested) list of numbers or bools, or a tensor, got \(other.typeName) (use `full([1], x)` for a 1-element tensor)")
        }
    }

    /// `zeros(shape, dtype: "f32")`: a tensor of zeros.
    static let zeros = Builtin(
        name: "zeros", category: category,
        parameters: [.required("shape", .shape), .optional("dtype", TensorArguments.dtypeType, .string("f32"))],
        returns: "tensor",
        summary: "a tensor of `shape` filled with zeros (`false` for bool)",
        doc: "`shape` is a list of non-negative integers (or one integer for 1-D); `[]` gives a 0-d tensor. "
            + "`dtype` is \"f32\" (default), \"i32\" or \"bool\". A shape larger than the allocation limit "
            + "(half of physical memory) is an error.",
        example: "zeros([2, 3])",
        output: "tensor([[0, 0, 0],\n        [0, 0, 0]], f32)\n"
    ) { args, context in
        try filled(args, context, value: 0)
    }

    /// `ones(shape, dtype: "f32")`: a tensor of ones.
    static let ones = Builtin(
        name: "ones", category: category,
        parameters: [.required("shape", .shape), .optional("dtype", TensorArguments.dtypeType, .string("f32"))],
        returns: "tensor",
        summary: "a tensor of `shape` filled with ones (`true` for bool)",
        doc: "`shape` is a list of non-negative integers (or one integer for 1-D). `dtype` is \"f32\" "
            + "(default), \"i32\" or \"bool\".",
        example: "ones(3, dtype: \"i32\")",
        output: "tensor([1, 1, 1], i32)\n"
    ) { args, context in
        try filled(args, context, value: 1)
    }

    /// `full(shape, v, dtype: nil)`: a tensor with every element `v`.
    static let full = Builtin(
        name: "full", category: category,
        parameters: [.required("shape", .shape), .required("v", .either(.number, .bool)),
                     .optional("dtype", .optional(TensorArguments.dtypeType), .nilValue)],
        returns: "tensor",
        summary: "a tensor of `shape` with every element `v`",
        doc: "Without `dtype` a bool `v` gives a bool tensor and a number an f32 one; with `dtype` the value is "
            + "converted as `astype` does (i32 truncates toward zero, bool is `v != 0`).",
        example: "full([2, 2], 0.5)",
        output: "tensor([[0.5000, 0.5000],\n        [0.5000, 0.5000]], f32)\n"
    ) { args, context in
        let value: Double
        var dtype = try TensorArguments.dtype(args, "dtype")
        switch args["v"] {
        case .bool(let b):
            value = b ? 1 : 0
            dtype = dtype ?? .bool
        default:
            value = try args.number("v")
        }
        let resolved = dtype ?? .f32
        let shape = try TensorArguments.newShape(args, context, "shape", dtype: resolved)
        return .tensor(Tensor.full(shape, value: value, dtype: resolved))
    }

    /// `eye(n)`: the identity matrix.
    static let eye = Builtin(
        name: "eye", category: category,
        parameters: [.required("n", .integer)],
        returns: "tensor",
        summary: "the `n`×`n` f32 identity matrix",
        doc: "`n` must be a non-negative integer; `eye(0)` has shape `[0, 0]`.",
        example: "eye(3)",
        output: "tensor([[1, 0, 0],\n        [0, 1, 0],\n        [0, 0, 1]], f32)\n"
    ) { args, context in
        let n = try args.int("n")
        guard n >= 0 else { throw args.error("n", "`n` must be a non-negative integer, got \(n)") }
        try TensorArguments.checkSize(args, context, "n", shape: [n, n], dtype: .f32)
        return .tensor(Tensor.eye(n))
    }

    /// `arange(a, b: nil, step: 1)`: evenly stepped values in a half-open interval.
    static let arange = Builtin(
        name: "arange", category: category,
        parameters: [.required("a", .number), .optional("b", .optional(.number), .nilValue),
                     .optional("step", .number, .number(1))],
        returns: "tensor",
        summary: "the f32 values `a, a + step, …` before `b`; `arange(n)` is 0, 1, …, n-1",
        doc: "Like NumPy's `arange`: with one argument the interval is `[0, a)`; with two or three it is "
            + "`[a, b)` walked by `step` (downwards for a negative step), `ceil((b - a) / step)` values, each "
            + "computed as `a + i·step`. The result is always f32 (use `astype(t, \"i32\")` for indices). "
            + "`step` 0 and non-finite bounds are errors; an empty interval gives an empty tensor.",
        example: "print(arange(4))\narange(1, 2, 0.25)",
        output: "tensor([0, 1, 2, 3], f32)\ntensor([1.0000, 1.2500, 1.5000, 1.7500], f32)\n"
    ) { args, context in
        let step = try args.number("step")
        guard step != 0 else { throw args.error("step", "`step` must not be 0") }
        let start: Double
        let stop: Double
        if let b = try args.optionalNumber("b") {
            start = try args.number("a")
            stop = b
        } else {
            start = 0
            stop = try args.number("a")
        }
        let count = ((stop - start) / step).rounded(.up)
        if count.isFinite, count > 0, count < 9.0e15 {
            try TensorArguments.checkSize(args, context, "b", shape: [Int(count)], dtype: .f32)
        }
        return .tensor(try TensorArguments.engine(args, "step") { try Tensor.arange(start, stop, step) })
    }

    /// `linspace(a, b, n)`: `n` evenly spaced values from `a` to `b`.
    static let linspace = Builtin(
        name: "linspace", category: category,
        parameters: [.required("a", .number), .required("b", .number), .required("n", .integer)],
        returns: "tensor",
        summary: "`n` evenly spaced f32 values from `a` to `b`, both ends included",
        doc: "Like NumPy's `linspace` with `endpoint=True`: the step is `(b - a) / (n - 1)` and the last value is "
            + "exactly `b`. `n` 1 gives `[a]`, `n` 0 an empty tensor; a negative `n` is an error.",
        example: "linspace(0, 1, 5)",
        output: "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000], f32)\n"
    ) { args, context in
        let n = try args.int("n")
        guard n >= 0 else { throw args.error("n", "`n` must be a non-negative integer, got \(n)") }
        try TensorArguments.checkSize(args, context, "n", shape: [n], dtype: .f32)
        let (a, b) = (try args.number("a"), try args.number("b"))
        return .tensor(try TensorArguments.engine(args, "n") { try Tensor.linspace(a, b, n) })
    }

    /// `randn(shape, seed: nil)`: standard normal samples.
    static let randn = Builtin(
        name: "randn", category: category,
        parameters: [.required("shape", .shape), .optional("seed", .optional(.integer), .nilValue)],
        returns: "tensor",
        summary: "an f32 tensor of standard normal samples (mean 0, variance 1)",
        doc: "Without `seed` the samples come from the run's stream, which starts at seed 0 every run and "
            + "which `seed(n)` resets; with `seed` (a non-negative integer) from a fresh stream, leaving the "
            + "run's stream untouched. Streams are xoshiro256** with Box–Muller normals: the same seed gives "
            + "the same tensor on every machine.",
        example: "print(all(randn([4], seed: 7) == randn([4], seed: 7)))\nrandn([2, 3], seed: 7)",
        output: "true\ntensor([[-0.2790,  1.5277,  1.8998],\n        [-0.2267,  2.1363, -2.1969]], f32)\n"
    ) { args, context in
        let shape = try TensorArguments.newShape(args, context, "shape", dtype: .f32)
        return .tensor(try withStream(args, context) { Tensor.randn(shape, rng: &$0) })
    }

    /// `rand(shape, seed: nil)`: uniform samples in [0, 1).
    static let rand = Builtin(
        name: "rand", category: category,
        parameters: [.required("shape", .shape), .optional("seed", .optional(.integer), .nilValue)],
        returns: "tensor",
        summary: "an f32 tensor of uniform samples in [0, 1)",
        doc: "Each sample takes the top 24 bits of one draw. Without `seed` the samples come from the run's "
            + "stream (see `seed`); with `seed` (a non-negative integer) from a fresh stream. The same seed "
            + "gives the same tensor on every machine.",
        example: "x = rand([1000], seed: 1)\n[min(x) >= 0, max(x) < 1]",
        output: "[true, true]\n"
    ) { args, context in
        let shape = try TensorArguments.newShape(args, context, "shape", dtype: .f32)
        return .tensor(try withStream(args, context) { Tensor.rand(shape, rng: &$0) })
    }

    /// `randint(lo, hi, shape, seed: nil)`: uniform integers in [lo, hi).
    static let randint = Builtin(
        name: "randint", category: category,
        parameters: [.required("lo", .integer), .required("hi", .integer), .required("shape", .shape),
                     .optional("seed", .optional(.integer), .nilValue)],
        returns: "tensor",
        summary: "an i32 tensor of uniform integers from `lo` up to (excluding) `hi`",
        doc: "Unbiased (Lemire's method). `lo < hi` is required and both must fit in i32. Without `seed` the "
            + "draws come from the run's stream (see `seed`); with `seed` from a fresh stream. The same seed "
            + "gives the same tensor on every machine.",
        example: "x = randint(0, 3, [100], seed: 2)\n[min(x), max(x), dtype(x)]",
        output: "[0, 2, \"i32\"]\n"
    ) { args, context in
        let (lo, hi) = (try args.int("lo"), try args.int("hi"))
        guard lo < hi else { throw args.error("hi", "`hi` must be greater than `lo`, got lo \(lo) and hi \(hi)") }
        let shape = try TensorArguments.newShape(args, context, "shape", dtype: .i32)
        return .tensor(try withStream(args, context) { rng in
            try TensorArguments.engine(args, "hi") { try Tensor.randint(lo, hi, shape, rng: &rng) }
        })
    }

    /// `seed(n)`: resets the run's random stream.
    static let seed = Builtin(
        name: "seed", category: category,
        parameters: [.required("n", .integer)],
        returns: "nil",
        summary: "reset the run's random stream to seed `n`, so the following `randn`/`rand`/`randint` calls repeat",
        doc: "`n` must be a non-negative integer. Every run (script or notebook) starts at seed 0, so a script "
            + "is reproducible even without `seed`. Calls given their own `seed:` neither use nor advance the "
            + "run's stream. Streams are deterministic on every machine.",
        example: "seed(5)\na = rand([3])\nseed(5)\nb = rand([3])\na == b",
        output: "tensor([true, true, true], bool)\n"
    ) { args, context in
        let n = try args.int("n")
        guard n >= 0 else { throw args.error("n", "`n` must be a non-negative integer, got \(n)") }
        context.random = RandomStream(seed: UInt64(n))
        return .nilValue
    }

    /// `zeros`/`ones`: a tensor of parameter `shape` and `dtype` filled with `value`.
    static func filled(_ args: Arguments, _ context: RunContext, value: Double) throws -> Value {
        let dtype = try TensorArguments.dtype(args, "dtype") ?? .f32
        let shape = try TensorArguments.newShape(args, context, "shape", dtype: dtype)
        return .tensor(Tensor.full(shape, value: value, dtype: dtype))
    }

    /// Runs `body` on a fresh stream when parameter `seed` is given (it must be a
    /// non-negative integer), otherwise on the run's stream.
    static func withStream<R>(_ args: Arguments, _ context: RunContext, _ body: (inout RandomStream) throws -> R) throws -> R {
        guard let seed = try args.optionalInt("seed") else {
            return try body(&context.random)
        }
        guard seed >= 0 else { throw args.error("seed", "`seed` must be a non-negative integer, got \(seed)") }
        var stream = RandomStream(seed: UInt64(seed))
        return try body(&stream)
    }
}
