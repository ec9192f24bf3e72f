import PrunebookLanguage
import TensorModule

/// Core builtins: printing, types, errors, assertions and conversion to numbers.
enum CoreBuiltins {
    static let all: [Builtin] = [print, type, str, error, assert, num]

    /// `print(a, b, ...)`: writes the arguments separated by spaces, then a newline.
    static let print = Builtin(
        name: "print", category: "Core",
        parameters: [.variadic("values", .any)],
        returns: "nil",
        summary: "write the arguments separated by one space, then a newline",
        doc: "Strings are written without quotes; every other value as it displays.",
        example: "print(\"sparsity\", 0.5, [1, 2])",
        output: "sparsity 0.5 [1, 2]\n"
    ) { args, context in
        let items = try args.list("values")
        context.output(items.map(\.printText).joined(separator: " ") + "\n")
        return .nilValue
    }

    /// `type(x)`: the type name of a value.
    static let type = Builtin(
        name: "type", category: "Core",
        parameters: [.required("x", .any)],
        returns: "string",
        summary: "the type name of a value: number, bool, string, nil, tensor, list, record, function, range, duration",
        example: "type([1, 2])",
        output: "\"list\"\n"
    ) { args, _ in
        .string(args["x"].typeName)
    }

    /// `str(x)`: the text a value prints as.
    static let str = Builtin(
        name: "str", category: "Core",
        parameters: [.required("x", .any)],
        returns: "string",
        summary: "the text `print` would write for a value",
        example: "str(3) + \" layers\"",
        output: "\"3 layers\"\n"
    ) { args, _ in
        .string(args["x"].printText)
    }

    /// `error(message)`: raises a user error.
    static let error = Builtin(
        name: "error", category: "Core",
        parameters: [.required("message", .string)],
        returns: "nothing",
        summary: "raise an error with the given message (catch it with `try`/`catch`)",
        example: "try { error(\"bad input\") } catch e { print(e.message) }",
        output: "bad input\n"
    ) { args, _ in
        throw PrunebookError(.user, try args.string("message"))
    }

    /// `assert(cond, message)`: raises an error when the condition is false.
    static let assert = Builtin(
        name: "assert", category: "Core",
        parameters: [.required("condition", .bool), .optional("message", .string, .string("assertion failed"))],
        returns: "nil",
        summary: "raise an error with `message` when `condition` is false",
        example: "assert(1 + 1 == 2, \"arithmetic is broken\")",
        output: ""
    ) { args, _ in
        if try !args.bool("condition") {
            throw PrunebookError(.user, try args.string("message"))
        }
        return .nilValue
    }

    /// `num(x)`: a number from a one-element tensor, a bool or a duration.
    static let num = Builtin(
        name: "num", category: "Core",
        parameters: [.required("x", .any)],
        returns: "number",
        summary: "a number from a 1-element tensor, a bool (true → 1) or a duration (seconds)",
        example: "num(tensor([2.5]))",
        output: "2.5\n"
    ) { args, _ in
        switch args["x"] {
        case .number(let n): return .number(n)
        case .bool(let b): return .number(b ? 1 : 0)
        case .duration(let d): return .number(d)
        case .tensor(let t):
            guard t.count == 1 else {
                throw args.error("x", "`x` must have exactly one element, got shape \(formatShape(t.shape)) (\(t.count) elements)")
            }
            switch Value(tensorOrScalar: try t.reshaped([])) {
            case .bool(let b): return .number(b ? 1 : 0)
            case let scalar: return scalar
            }
        case let other:
            throw args.error("x", "`x` expects a 1-element tensor, a bool or a duration, got \(other.typeName)")
        }
    }
}
