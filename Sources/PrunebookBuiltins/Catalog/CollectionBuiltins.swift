import PrunebookLanguage
import TensorModule

/// Lists and records: lengths, ranges, record fields, building lists, and the
/// higher-order helpers (`map`, `filter`, `reduce`, `sorted`, …) that call Prunebook
/// functions through `RunContext.call`.
enum CollectionBuiltins {
    static let all: [Builtin] = [
        len, range, keys, values, items, get, contains, append, extend, list, reversed,
        map, filter, reduce, zip, enumerate, sorted,
    ]

    /// `len(x)`: the number of items of a list, string, record, range or tensor (first axis).
    static let len = Builtin(
        name: "len", category: "Lists and records",
        parameters: [.required("x", .any)],
        returns: "number",
        summary: "the number of items: list items, string characters, record fields, range values, or a tensor's first-axis length",
        doc: "A string counts characters (extended grapheme clusters, so \"é\" is 1), a record its fields, a tensor the length of its first axis (`len(zeros([3, 4]))` is 3; use `numel` for the element count). A 0-d tensor or any other value is an error.",
        example: "[len([1, 2, 3]), len(\"héllo\"), len({a: 1, b: 2}), len(zeros([3, 4])), len(range(0, 10, 3))]",
        output: "[3, 5, 2, 3, 4]\n"
    ) { args, _ in
        switch args["x"] {
        case .list(let items): return .number(Double(items.count))
        case .string(let s): return .number(Double(s.count))
        case .record(let r): return .number(Double(r.fields.count))
        case .range(let r): return .number(Double(r.count))
        case .tensor(let t):
            guard t.ndim > 0 else {
                throw args.error("x", "a 0-d tensor has no length (use `numel` for its element count)")
            }
            return .number(Double(t.shape[0]))
        case let other:
            throw args.error("x", "`x` expects a list, string, record, range or tensor, got \(other.typeName)")
        }
    }

    /// `range(a, b, step)`: a lazy arithmetic sequence of integers.
    static let range = Builtin(
        name: "range", category: "Lists and records",
        parameters: [.required("a", .integer), .optional("b", .optional(.integer), .nilValue), .optional("step", .integer, .number(1))],
        returns: "range",
        summary: "the integers from `a` up to (excluding) `b` by `step`; `range(n)` is 0, 1, …, n-1",
        doc: "With one argument, `range(n)` counts from 0 to n-1. With two or three, it counts from `a` while below `b` (above `b` for a negative `step`). All arguments must be integers (use `arange` or `linspace` for fractional steps); a `step` of 0 is an error. A range is lazy: `for` visits it without building a list; `list(r)` materialises it.",
        example: "print(list(range(5)))\nlist(range(10, 0, step: -3))",
        output: "[0, 1, 2, 3, 4]\n[10, 7, 4, 1]\n"
    ) { args, _ in
        let step = try args.int("step")
        guard step != 0 else { throw args.error("step", "`step` must not be 0") }
        let first = try args.int("a")
        let value: RangeValue
        if let stop = try args.optionalInt("b") {
            value = RangeValue(start: Double(first), stop: Double(stop), step: Double(step))
        } else {
            value = RangeValue(start: 0, stop: Double(first), step: Double(step))
        }
        return .range(value)
    }

    /// `keys(r)`: the field names of a record, in order.
    static let keys = Builtin(
        name: "keys", category: "Lists and records",
        parameters: [.required("r", .any)],
        returns: "list",
        summary: "the field names of a record (or of a handle such as a model), in insertion order",
        example: "keys({lr: 0.01, steps: 200})",
        output: "[\"lr\", \"steps\"]\n"
    ) { args, _ in
        .list(try fieldPairs(args, "r").map { .string($0.0) })
    }

    /// `values(r)`: the field values of a record, in order.
    static let values = Builtin(
        name: "values", category: "Lists and records",
        parameters: [.required("r", .any)],
        returns: "list",
        summary: "the field values of a record (or of a handle), in insertion order",
        example: "values({lr: 0.01, steps: 200})",
        output: "[0.01, 200]\n"
    ) { args, _ in
        .list(try fieldPairs(args, "r").map(\.1))
    }

    /// `items(r)`: `[key, value]` pairs of a record, in order.
    static let items = Builtin(
        name: "items", category: "Lists and records",
        parameters: [.required("r", .any)],
        returns: "list",
        summary: "the `[key, value]` pairs of a record (or of a handle), in insertion order",
        doc: "The pairs unpack in a two-variable `for`: `for k, v in items(r) { ... }` (iterating the record itself does the same).",
        example: "items({lr: 0.01, steps: 200})",
        output: "[[\"lr\", 0.01], [\"steps\", 200]]\n"
    ) { args, _ in
        .list(try fieldPairs(args, "r").map { .list([.string($0.0), $0.1]) })
    }

    /// `get(r, key, default)`: a record field, or a default when it is missing.
    static let get = Builtin(
        name: "get", category: "Lists and records",
        parameters: [.required("r", .any), .required("key", .string), .optional("default", .any, .nilValue)],
        returns: "any",
        summary: "the field `key` of a record, or `default` (nil unless given) when the record has no such field",
        doc: "Unlike `r[key]`, a missing field is not an error. Works on handles with fields too.",
        example: "cfg = {lr: 0.01}\n[get(cfg, \"lr\"), get(cfg, \"steps\", default: 100), get(cfg, \"seed\")]",
        output: "[0.01, 100, nil]\n"
    ) { args, _ in
        let key = try args.string("key")
        switch args["r"] {
        case .record(let r): return r[key] ?? args["default"]
        case .handle(let h): return h.field(key) ?? args["default"]
        case let other: throw args.error("r", "`r` expects a record, got \(other.typeName)")
        }
    }

    /// `contains(xs, x)`: membership in a list, string, record or range.
    static let contains = Builtin(
        name: "contains", category: "Lists and records",
        parameters: [.required("xs", .any), .required("x", .any)],
        returns: "bool",
        summary: "true when `xs` holds `x`: a list item (deep equality), a substring, a record key, or a range value",
        doc: "For a list, items are compared like `==` compares non-tensor values (tensors by shape, dtype and elements). For a string, `x` must be a string and is searched as a substring; for a record, `x` is a field name. For a tensor use `any(t == x)`.",
        example: "[contains([1, 2, 3], 2), contains(\"wanda\", \"and\"), contains({a: 1}, \"b\"), contains(range(0, 10, 2), 4)]",
        output: "[true, true, false, true]\n"
    ) { args, _ in
        let needle = args["x"]
        switch args["xs"] {
        case .list(let items):
            return .bool(items.contains { valuesEqual($0, needle) })
        case .string(let s):
            guard case .string(let part) = needle else {
                throw args.error("x", "`x` must be a string to search a string, got \(needle.typeName)")
            }
            return .bool(part.isEmpty || s.contains(part))
        case .record(let r):
            guard case .string(let key) = needle else {
                throw args.error("x", "`x` must be a string (a field name) to search a record, got \(needle.typeName)")
            }
            return .bool(r[key] != nil)
        case .range(let r):
            guard case .number(let n) = needle else { return .bool(false) }
            let position = (n - r.start) / r.step
            return .bool(position >= 0 && position == position.rounded() && Int(position) < r.count)
        case .tensor:
            throw args.error("xs", "`xs` is a tensor: use `any(t == x)` to test its elements")
        case let other:
            throw args.error("xs", "`xs` expects a list, string, record or range, got \(other.typeName)")
        }
    }

    /// `append(xs, x)`: a new list with `x` added at the end.
    static let append = Builtin(
        name: "append", category: "Lists and records",
        parameters: [.required("xs", .list), .required("x", .any)],
        returns: "list",
        summary: "a new list: `xs` followed by `x` (the argument is not changed)",
        doc: "Lists are values, so `append` returns the longer list: write `xs = append(xs, x)`. Appending a list adds it as one item; use `extend` to add its items.",
        example: "xs = [1, 2]\nys = append(xs, [3])\nprint(xs)\nys",
        output: "[1, 2]\n[1, 2, [3]]\n",
        update: { xs, x in updatingList(&xs) { $0.append(x) } }
    ) { args, _ in
        var items = try args.list("xs")
        items.append(args["x"])
        return .list(items)
    }

    /// `extend(xs, ys)`: a new list with the items of `ys` added at the end.
    static let extend = Builtin(
        name: "extend", category: "Lists and records",
        parameters: [.required("xs", .list), .required("ys", .any)],
        returns: "list",
        summary: "a new list: the items of `xs` followed by the items of `ys` (a list, range, tensor rows or string characters)",
        doc: "For two lists this is `xs + ys`. The arguments are not changed.",
        example: "extend([1, 2], range(3, 5))",
        output: "[1, 2, 3, 4]\n",
        update: { xs, ys in
            guard case .list = xs, case .list = ys else { return false }
            return appendInPlace(&xs, ys)
        }
    ) { args, _ in
        .list(try args.list("xs") + sequenceItems(args, "ys"))
    }

    /// `list(x)`: the items of a range, tensor (rows), string (characters) or list.
    static let list = Builtin(
        name: "list", category: "Lists and records",
        parameters: [.required("x", .any)],
        returns: "list",
        summary: "a list of the items of a range, a tensor (its rows along the first axis), a string (its characters) or a list",
        doc: "A 1-D tensor gives numbers (bools for a bool tensor), a higher-dimensional one its rows as tensors. For a record use `keys`, `values` or `items`.",
        example: "[list(range(3)), list(\"abc\"), list(tensor([1, 2], dtype: \"i32\"))]",
        output: "[[0, 1, 2], [\"a\", \"b\", \"c\"], [1, 2]]\n"
    ) { args, _ in
        .list(try sequenceItems(args, "x"))
    }

    /// `reversed(xs)`: the items in reverse order.
    static let reversed = Builtin(
        name: "reversed", category: "Lists and records",
        parameters: [.required("xs", .any)],
        returns: "list | string",
        summary: "the items of a list, range or tensor (rows) in reverse order, as a list; a string reversed by characters",
        example: "[reversed([1, 2, 3]), reversed(range(3)), reversed(\"abc\")]",
        output: "[[3, 2, 1], [2, 1, 0], \"cba\"]\n"
    ) { args, _ in
        if case .string(let s) = args["xs"] { return .string(String(s.reversed())) }
        return .list(try sequenceItems(args, "xs").reversed())
    }

    /// `map(f, xs)`: `f` applied to every item.
    static let map = Builtin(
        name: "map", category: "Lists and records",
        parameters: [.required("f", .function), .required("xs", .any)],
        returns: "list",
        summary: "the list of `f(x)` for every item `x` of a list, range, tensor (rows) or string (characters)",
        doc: "Always returns a list, even for a tensor; wrap the call in `tensor(...)` (or `stack`) to get a tensor back. For elementwise maths on a tensor, use tensor operations instead: they are much faster.",
        example: "print(map(fn(x) => x * x, [1, 2, 3]))\nmap(str, range(3))",
        output: "[1, 4, 9]\n[\"0\", \"1\", \"2\"]\n"
    ) { args, context in
        let f = try args.function("f")
        var out: [Value] = []
        for item in try sequenceItems(args, "xs") {
            try context.checkInterrupt()
            out.append(try context.call(f, [item]))
        }
        return .list(out)
    }

    /// `filter(f, xs)`: the items for which `f` returns true.
    static let filter = Builtin(
        name: "filter", category: "Lists and records",
        parameters: [.required("f", .function), .required("xs", .any)],
        returns: "list",
        summary: "the items `x` of a list, range, tensor (rows) or string for which `f(x)` is true, in order",
        doc: "`f` must return a bool for every item; any other result is an error (conditions are never truthy numbers). For a tensor, boolean indexing `t[t > 0]` is the fast form.",
        example: "filter(fn(x) => x % 2 == 0, range(10))",
        output: "[0, 2, 4, 6, 8]\n"
    ) { args, context in
        let f = try args.function("f")
        var out: [Value] = []
        for (i, item) in try sequenceItems(args, "xs").enumerated() {
            try context.checkInterrupt()
            let keep = try context.call(f, [item])
            guard case .bool(let b) = keep else {
                throw args.error("f", "`f` must return a bool, got \(keep.typeName) for item \(i) (\(item.displayText))")
            }
            if b { out.append(item) }
        }
        return .list(out)
    }

    /// `reduce(f, xs, init)`: folds the items from the left.
    static let reduce = Builtin(
        name: "reduce", category: "Lists and records",
        parameters: [.required("f", .function), .required("xs", .any), .optional("init", .any, .nilValue)],
        returns: "any",
        summary: "folds `xs` from the left with the two-argument `f`: `f(f(init, x0), x1)…`, starting from the first item when `init` is nil",
        doc: "Without `init`, the first item is the starting value, so an empty `xs` is an error; with `init`, an empty `xs` returns `init`.",
        example: "print(reduce(fn(acc, x) => acc * x, [1, 2, 3, 4]))\nreduce(fn(acc, x) => acc + len(x), [\"ab\", \"cde\"], init: 0)",
        output: "24\n5\n"
    ) { args, context in
        let f = try args.function("f")
        var items = try sequenceItems(args, "xs")[...]
        var acc = args["init"]
        if acc.isNil {
            guard let first = items.popFirst() else {
                throw args.error("xs", "`xs` is empty and no `init` was given")
            }
            acc = first
        }
        for item in items {
            try context.checkInterrupt()
            acc = try context.call(f, [acc, item])
        }
        return acc
    }

    /// `zip(a, b, ...)`: lists of corresponding items.
    static let zip = Builtin(
        name: "zip", category: "Lists and records",
        parameters: [.variadic("sequences", .any)],
        returns: "list",
        summary: "a list of `[a[i], b[i], …]` for each position, as long as the shortest argument",
        doc: "Each argument may be a list, range, tensor (rows) or string (characters). `for x, y in zip(xs, ys) { ... }` visits pairs.",
        example: "zip([1, 2, 3], [\"a\", \"b\"])",
        output: "[[1, \"a\"], [2, \"b\"]]\n"
    ) { args, _ in
        let sequences = try args.list("sequences").enumerated().map { i, value in
            try items(of: value) { args.error("sequences", "argument \(i + 1) \($0)") }
        }
        let count = sequences.map(\.count).min() ?? 0
        return .list((0..<count).map { i in .list(sequences.map { $0[i] }) })
    }

    /// `enumerate(xs, start)`: `[index, item]` pairs.
    static let enumerate = Builtin(
        name: "enumerate", category: "Lists and records",
        parameters: [.required("xs", .any), .optional("start", .integer, .number(0))],
        returns: "list",
        summary: "a list of `[i, x]` pairs, `i` counting from `start` (0 unless given)",
        doc: "`for i, x in enumerate(xs) { ... }` visits each item with its position.",
        example: "enumerate([\"a\", \"b\"], start: 1)",
        output: "[[1, \"a\"], [2, \"b\"]]\n"
    ) { args, _ in
        let start = try args.int("start")
        return .list(try sequenceItems(args, "xs").enumerated().map { .list([.number(Double(start + $0.offset)), $0.element]) })
    }

    /// `sorted(xs, key, reverse)`: a stable sort of numbers or strings.
    static let sorted = Builtin(
        name: "sorted", category: "Lists and records",
        parameters: [.required("xs", .any), .optional("key", .optional(.function), .nilValue), .optional("reverse", .bool, .bool(false))],
        returns: "list",
        summary: "a new list of the items sorted ascending (descending with `reverse: true`), by `key(x)` when given",
        doc: "The items (or their keys) must be all numbers or all strings; strings compare as `<` compares them. The sort is stable: equal items keep their order, also with `reverse: true`. NaN sorts last. To sort a tensor, use `sort`.",
        example: "print(sorted([3, 1, 2]))\nsorted([\"bb\", \"a\", \"ccc\"], key: len, reverse: true)",
        output: "[1, 2, 3]\n[\"ccc\", \"bb\", \"a\"]\n"
    ) { args, context in
        let xs = try sequenceItems(args, "xs")
        var keyValues = xs
        if case .function(let f) = args["key"] {
            keyValues = []
            keyValues.reserveCapacity(xs.count)
            for x in xs {
                try context.checkInterrupt()
                keyValues.append(try context.call(f, [x]))
            }
        }
        let keys = try sortKeys(keyValues, args)
        let descending = try args.bool("reverse")
        let order = xs.indices.sorted { i, j in
            let c = descending ? keys[j].compare(keys[i]) : keys[i].compare(keys[j])
            return c == 0 ? i < j : c < 0
        }
        return .list(order.map { xs[$0] })
    }

    // MARK: - Helpers

    /// The fields of a record or a handle as `(name, value)` pairs.
    static func fieldPairs(_ args: Arguments, _ name: String) throws -> [(String, Value)] {
        switch args[name] {
        case .record(let r): return r.fields.map { ($0.key, $0.value) }
        case .handle(let h): return h.fieldNames.map { ($0, h.field($0) ?? .nilValue) }
        case let other: throw args.error(name, "`\(name)` expects a record, got \(other.typeName)")
        }
    }

    /// The items of sequence parameter `name`: list items, range values, tensor rows or
    /// string characters.
    static func sequenceItems(_ args: Arguments, _ name: String) throws -> [Value] {
        try items(of: args[name]) { args.error(name, "`\(name)` \($0)") }
    }

    /// The items of `value`; `fail` builds the error from a description of the problem.
    static func items(of value: Value, fail: (String) -> ArgumentError) throws -> [Value] {
        switch value {
        case .list(let items): return items
        case .range(let r): return (0..<r.count).map { .number(r.element($0)) }
        case .string(let s): return s.map { .string(String($0)) }
        case .tensor(let t):
            guard t.ndim > 0 else { throw fail("is a 0-d tensor, which has no items") }
            return try (0..<t.shape[0]).map { Value(tensorOrScalar: try t.indexed([.at($0)])) }
        case .record:
            throw fail("expects a list, range, tensor or string, got record (use `keys`, `values` or `items`)")
        case let other:
            throw fail("expects a list, range, tensor or string, got \(other.typeName)")
        }
    }

    /// A sortable key: all numbers or all strings.
    enum SortKey {
        case number(Double)
        case string(String)

        /// -1, 0 or 1; NaN is greater than every number and equal to itself.
        func compare(_ other: SortKey) -> Int {
            switch (self, other) {
            case (.number(let a), .number(let b)):
                if a.isNaN || b.isNaN { return a.isNaN == b.isNaN ? 0 : (a.isNaN ? 1 : -1) }
                return a < b ? -1 : (a > b ? 1 : 0)
            case (.string(let a), .string(let b)):
                return a < b ? -1 : (a > b ? 1 : 0)
            default:
                return 0
            }
        }
    }

    /// Checks that the keys are all numbers or all strings.
    static func sortKeys(_ values: [Value], _ args: Arguments) throws -> [SortKey] {
        let what = args.isNil("key") ? "item" : "key of item"
        var keys: [SortKey] = []
        keys.reserveCapacity(values.count)
        for (i, value) in values.enumerated() {
            let key: SortKey
            switch value {
            case .number(let n): key = .number(n)
            case .duration(let d): key = .number(d)
            case .string(let s): key = .string(s)
            default:
                throw args.error(args.isNil("key") ? "xs" : "key", "can only sort numbers or strings, got \(value.typeName) (\(what) \(i))")
            }
            if let first = keys.first {
                switch (first, key) {
                case (.number, .string), (.string, .number):
                    throw args.error(args.isNil("key") ? "xs" : "key", "cannot compare \(values[0].typeName) and \(value.typeName) (\(what)s 0 and \(i))")
                default: break
                }
            }
            keys.append(key)
        }
        return keys
    }
}
