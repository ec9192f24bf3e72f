import PrunebookLanguage

/// Strings: joining, splitting, formatting, case, whitespace and substring tests.
/// Strings are immutable values: every builtin returns a new string.
enum StringBuiltins {
    static let all: [Builtin] = [join, split, format, upper, lower, strip, replace, startswith, endswith]

    /// `join(xs, sep)`: the strings of a list joined with a separator.
    static let join = Builtin(
        name: "join", category: "Strings",
        parameters: [.required("xs", .list), .optional("sep", .string, .string(""))],
        returns: "string",
        summary: "the strings of the list `xs` joined with `sep` between them (\"\" unless given)",
        doc: "Every item must be a string; convert other values first with `map(str, xs)` (or an f-string). The list comes first: `join(names, \", \")`.",
        example: "join([\"w1\", \"w2\", \"w3\"], \", \")",
        output: "\"w1, w2, w3\"\n"
    ) { args, _ in
        var parts: [String] = []
        for (i, item) in try args.list("xs").enumerated() {
            guard case .string(let s) = item else {
                throw args.error("xs", "item \(i) of `xs` is a \(item.typeName) (\(item.displayText)), expected a string (convert with `map(str, xs)`)")
            }
            parts.append(s)
        }
        return .string(parts.joined(separator: try args.string("sep")))
    }

    /// `split(s, sep)`: the pieces of a string.
    static let split = Builtin(
        name: "split", category: "Strings",
        parameters: [.required("s", .string), .optional("sep", .optional(.string), .nilValue)],
        returns: "list",
        summary: "the pieces of `s` between occurrences of `sep`; without `sep`, the words between runs of whitespace",
        doc: "As in Python: with `sep` nil (the default) leading and trailing whitespace is ignored and runs of whitespace separate words, so `split(\"\")` is `[]`. With a `sep`, every occurrence splits, so empty pieces are kept (`split(\"a,,b\", \",\")` is `[\"a\", \"\", \"b\"]`). An empty `sep` is an error.",
        example: "print(split(\"  wanda  sparsegpt\\tgblm \"))\nsplit(\"2:4\", \":\")",
        output: "[\"wanda\", \"sparsegpt\", \"gblm\"]\n[\"2\", \"4\"]\n"
    ) { args, _ in
        let s = try args.string("s")
        guard case .string(let sep) = args["sep"] else {
            return .list(s.split(whereSeparator: \.isWhitespace).map { .string(String($0)) })
        }
        guard !sep.isEmpty else { throw args.error("sep", "`sep` must not be empty (use `list(s)` for the characters)") }
        return .list(s.split(separator: sep, omittingEmptySubsequences: false).map { .string(String($0)) })
    }

    /// `format(x, spec)`: a value formatted by an f-string spec.
    static let format = Builtin(
        name: "format", category: "Strings",
        parameters: [.required("x", .any), .required("spec", .string)],
        returns: "string",
        summary: "`x` formatted by the spec `spec`, exactly as the f-string `f\"{x:spec}\"` formats it",
        doc: "The spec is Python's mini-language subset: `[[fill]align][sign][,][width][.precision][type]` with align `<` `>` `^`, sign `+` `-` or space, `,` thousands separators and type `f` `e` `g` `%` `d` `s`. Numeric types need a number; an invalid spec is an error.",
        example: "[format(3.14159, \".2f\"), format(0.5, \".1%\"), format(1234567, \",\"), format(\"ok\", \">4\")]",
        output: "[\"3.14\", \"50.0%\", \"1,234,567\", \"  ok\"]\n"
    ) { args, _ in
        let spec = try args.string("spec")
        do {
            return .string(try formatValue(args["x"], spec: spec))
        } catch let e as PrunebookError {
            throw args.error("spec", e.message)
        }
    }

    /// `upper(s)`: the string in upper case.
    static let upper = Builtin(
        name: "upper", category: "Strings",
        parameters: [.required("s", .string)],
        returns: "string",
        summary: "`s` in upper case (Unicode-aware)",
        example: "upper(\"nm 2:4\")",
        output: "\"NM 2:4\"\n"
    ) { args, _ in
        .string(try args.string("s").uppercased())
    }

    /// `lower(s)`: the string in lower case.
    static let lower = Builtin(
        name: "lower", category: "Strings",
        parameters: [.required("s", .string)],
        returns: "string",
        summary: "`s` in lower case (Unicode-aware)",
        example: "lower(\"SparseGPT\")",
        output: "\"sparsegpt\"\n"
    ) { args, _ in
        .string(try args.string("s").lowercased())
    }

    /// `strip(s)`: the string without leading and trailing whitespace.
    static let strip = Builtin(
        name: "strip", category: "Strings",
        parameters: [.required("s", .string)],
        returns: "string",
        summary: "`s` without leading and trailing whitespace (spaces, tabs, newlines)",
        example: "strip(\"  layer 0\\n\")",
        output: "\"layer 0\"\n"
    ) { args, _ in
        let s = try args.string("s")
        guard let first = s.firstIndex(where: { !$0.isWhitespace }),
              let last = s.lastIndex(where: { !$0.isWhitespace }) else { return .string("") }
        return .string(String(s[first...last]))
    }

    /// `replace(s, old, new)`: every occurrence of a substring replaced.
    static let replace = Builtin(
        name: "replace", category: "Strings",
        parameters: [.required("s", .string), .required("old", .string), .required("new", .string)],
        returns: "string",
        summary: "`s` with every occurrence of `old` replaced by `new`, scanning left to right",
        doc: "Occurrences do not overlap. An empty `old` is an error.",
        example: "replace(\"layers.0.wq\", \".\", \"/\")",
        output: "\"layers/0/wq\"\n"
    ) { args, _ in
        let old = try args.string("old")
        guard !old.isEmpty else { throw args.error("old", "`old` must not be empty") }
        return .string(try args.string("s").replacing(old, with: try args.string("new")))
    }

    /// `startswith(s, prefix)`: whether a string begins with a prefix.
    static let startswith = Builtin(
        name: "startswith", category: "Strings",
        parameters: [.required("s", .string), .required("prefix", .string)],
        returns: "bool",
        summary: "true when `s` begins with `prefix` (every string begins with \"\")",
        example: "startswith(\"layers.3.w1\", \"layers.\")",
        output: "true\n"
    ) { args, _ in
        .bool(try args.string("s").hasPrefix(try args.string("prefix")))
    }

    /// `endswith(s, suffix)`: whether a string ends with a suffix.
    static let endswith = Builtin(
        name: "endswith", category: "Strings",
        parameters: [.required("s", .string), .required("suffix", .string)],
        returns: "bool",
        summary: "true when `s` ends with `suffix` (every string ends with \"\")",
        example: "endswith(\"weights.npy\", \".safetensors\")",
        output: "false\n"
    ) { args, _ in
        .bool(try args.string("s").hasSuffix(try args.string("suffix")))
    }
}
