import TensorModule

/// The arguments of one builtin call, bound to the signature (one value per parameter,
/// defaults filled in) and type-checked. Accessors convert and name the parameter in errors.
public struct Arguments {
    /// The builtin being called.
    public let builtin: Builtin
    /// One value per parameter, in signature order.
    public var values: [Value]

    /// Binds positional and named arguments to `builtin`'s signature, checking count,
    /// names and types. A variadic parameter collects the positional arguments past the ones
    /// before it; parameters declared after it are keyword-only (named or defaulted), as
    /// after Python's `*args`.
    public init(binding positional: [Value], named: [(String, Value)], to builtin: Builtin) throws {
        self.builtin = builtin
        let parameters = builtin.parameters
        var values = [Value?](repeating: nil, count: parameters.count)
        let variadicIndex = parameters.firstIndex(where: \.variadic)
        let fixedCount = variadicIndex ?? parameters.count
        if positional.count > fixedCount && variadicIndex == nil {
            throw PrunebookError(.type, "`\(builtin.name)` takes at most \(fixedCount) argument\(fixedCount == 1 ? "" : "s"), got \(positional.count)")
        }
        for (i, value) in positional.prefix(fixedCount).enumerated() { values[i] = value }
        if let variadicIndex {
            values[variadicIndex] = .list(Array(positional.dropFirst(fixedCount)))
        }
        for (name, value) in named {
            guard let index = parameters.firstIndex(where: { $0.name == name }) else {
                let suggestion = closestName(to: name, among: parameters.map(\.name)).map { " (did you mean `\($0)`?)" } ?? ""
                throw ArgumentError(parameter: nil, message: "`\(builtin.name)` has no parameter `\(name)`\(suggestion)", argumentName: name)
            }
            if values[index] != nil {
                throw ArgumentError(parameter: name, message: "`\(builtin.name)` got two values for `\(name)`")
            }
            values[index] = value
        }
        var bound: [Value] = []
        bound.reserveCapacity(parameters.count)
        for (i, parameter) in parameters.enumerated() {
            guard let value = values[i] ?? parameter.defaultValue else {
                throw PrunebookError(.type, "`\(builtin.name)` is missing the argument `\(parameter.name)` (\(parameter.type))")
            }
            if parameter.variadic, case .list(let items) = value {
                for item in items where !parameter.type.accepts(item) {
                    throw ArgumentError(parameter: parameter.name, message: "`\(builtin.name)`: `\(parameter.name)` expects \(parameter.type), got \(item.typeName)")
                }
            } else if let given = values[i], !parameter.type.accepts(given) {
                throw ArgumentError(parameter: parameter.name, message: Arguments.typeMessage(builtin.name, parameter, given))
            }
            bound.append(value)
        }
        self.values = bound
    }

    static func typeMessage(_ builtin: String, _ parameter: Parameter, _ value: Value) -> String {
        var got = value.typeName
        if case .number(let n) = value { got = "\(formatNumber(n))" }
        if case .string(let s) = value { got = "\"\(s)\"" }
        return "`\(builtin)`: `\(parameter.name)` expects \(parameter.type), got \(got)"
    }

    func index(_ name: String) -> Int {
        guard let i = builtin.parameters.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("builtin `\(builtin.name)` reads undeclared parameter `\(name)`")
        }
        return i
    }

    /// The raw value of parameter `name`.
    public subscript(_ name: String) -> Value { values[index(name)] }

    /// True when parameter `name` is nil.
    public func isNil(_ name: String) -> Bool { self[name].isNil }

    /// An error about parameter `name`, located at its argument.
    public func error(_ name: String, _ message: String, kind: PrunebookError.Kind = .type) -> ArgumentError {
        var error = ArgumentError(parameter: name, message: "`\(builtin.name)`: \(message)")
        error.kind = kind
        return error
    }

    /// Parameter `name` as a number.
    public func number(_ name: String) throws -> Double {
        switch self[name] {
        case .number(let n): return n
        case .duration(let d): return d
        case let other: throw error(name, "`\(name)` expects a number, got \(other.typeName)")
        }
    }

    /// Parameter `name` as an integer (a non-integral number is an error).
    public func int(_ name: String) throws -> Int {
        let n = try number(name)
        guard n == n.rounded(), abs(n) < 9.0e15 else {
            throw error(name, "`\(name)` expects an integer, got \(formatNumber(n))")
        }
        return Int(n)
    }

    /// Parameter `name` as an integer, or nil.
    public func optionalInt(_ name: String) throws -> Int? { isNil(name) ? nil : try int(name) }

    /// Parameter `name` as a number, or nil.
    public func optionalNumber(_ name: String) throws -> Double? { isNil(name) ? nil : try number(name) }

    /// Parameter `name` as a bool.
    public func bool(_ name: String) throws -> Bool {
        guard case .bool(let b) = self[name] else { throw error(name, "`\(name)` expects a bool, got \(self[name].typeName)") }
        return b
    }

    /// Parameter `name` as a string.
    public func string(_ name: String) throws -> String {
        guard case .string(let s) = self[name] else { throw error(name, "`\(name)` expects a string, got \(self[name].typeName)") }
        return s
    }

    /// Parameter `name` as a list.
    public func list(_ name: String) throws -> [Value] {
        guard case .list(let items) = self[name] else { throw error(name, "`\(name)` expects a list, got \(self[name].typeName)") }
        return items
    }

    /// Parameter `name` as a record.
    public func record(_ name: String) throws -> Record {
        guard case .record(let r) = self[name] else { throw error(name, "`\(name)` expects a record, got \(self[name].typeName)") }
        return r
    }

    /// Parameter `name` as a function.
    public func function(_ name: String) throws -> Callable {
        guard case .function(let f) = self[name] else { throw error(name, "`\(name)` expects a function, got \(self[name].typeName)") }
        return f
    }

    /// Parameter `name` as a tensor (lists and numbers converted as `tensor(x)` would).
    public func tensor(_ name: String) throws -> Tensor {
        do {
            return try self[name].asTensor()
        } catch let e as PrunebookError {
            throw error(name, e.message)
        }
    }

    /// Parameter `name` as a shape: a list of non-negative integers (or one integer).
    public func shape(_ name: String) throws -> [Int] {
        switch self[name] {
        case .number(let n) where n == n.rounded() && n >= 0 && n < 9.0e15: return [Int(n)]
        case .list(let items):
            var dims: [Int] = []
            for item in items {
                guard case .number(let n) = item, n == n.rounded(), n >= 0, n < 9.0e15 else {
                    throw error(name, "`\(name)` expects a list of non-negative integers, got \(item.displayText)")
                }
                dims.append(Int(n))
            }
            return dims
        case .tensor(let t) where t.ndim == 1 && t.dtype == .i32: return t.doubles().map { Int($0) }
        case let other: throw error(name, "`\(name)` expects a shape (list of integers), got \(other.typeName)")
        }
    }

    /// Parameter `name` as an axis normalised for `ndim` dimensions, or nil.
    public func axis(_ name: String, ndim: Int) throws -> Int? {
        guard let axis = try optionalInt(name) else { return nil }
        let normalised = axis < 0 ? axis + ndim : axis
        guard normalised >= 0 && normalised < max(ndim, 1) else {
            throw error(name, "axis \(axis) is out of range for a tensor with \(ndim) dimension\(ndim == 1 ? "" : "s")")
        }
        return normalised
    }
}

/// An argument error: names the parameter so the interpreter can point at that argument.
public struct ArgumentError: Error, LanguageErrorConvertible {
    /// The parameter concerned (nil when the error is about the call as a whole).
    public let parameter: String?
    /// The message.
    public let message: String
    /// For an unknown named argument, its name as written.
    public var argumentName: String?
    /// The family of the error (type errors unless an engine error says otherwise).
    public var kind: PrunebookError.Kind = .type

    /// An error about `parameter`.
    public init(parameter: String?, message: String, argumentName: String? = nil) {
        self.parameter = parameter
        self.message = message
        self.argumentName = argumentName
    }

    public var prunebookError: PrunebookError { PrunebookError(kind, message) }
}
