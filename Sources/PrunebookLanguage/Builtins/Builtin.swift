/// One builtin: its name, category, signature, documentation, runnable example and body.
/// The registry in PrunebookBuiltins lists them once; `help`, the docs page and argument
/// checking all read from this value. A class, so a call passes one reference rather than
/// copying every field.
public final class Builtin: Sendable {
    /// The body: receives arguments already bound to the signature and checked.
    public typealias Body = @Sendable (Arguments, RunContext) throws -> Value
    /// An in-place form for `x = f(x, y)`: changes the first argument given the second and
    /// returns true, or returns false (changing nothing) when it does not apply, and the call
    /// runs normally. It must have exactly the effect of the body.
    public typealias Update = @Sendable (inout Value, Value) -> Bool

    /// The name in the language (snake_case).
    public let name: String
    /// The catalogue section, e.g. "Tensors: creation".
    public let category: String
    /// Parameters in signature order.
    public let parameters: [Parameter]
    /// What it returns, for the signature line (e.g. "tensor").
    public let returns: String
    /// One-line summary.
    public let summary: String
    /// The full description.
    public let doc: String
    /// A runnable example.
    public let example: String
    /// The exact output of `example` when run as a cell (checked by the test suite).
    public let exampleOutput: String
    /// The implementation.
    public let body: Body
    /// The in-place form, for builtins that return an updated copy of their first argument.
    public let update: Update?

    /// A builtin with every part given.
    public init(name: String, category: String, parameters: [Parameter], returns: String,
                summary: String, doc: String = "", example: String, output exampleOutput: String,
                update: Update? = nil, body: @escaping Body) {
        self.name = name
        self.category = category
        self.parameters = parameters
        self.returns = returns
        self.summary = summary
        self.doc = doc
        self.example = example
        self.exampleOutput = exampleOutput
        self.update = update
        self.body = body
    }

    /// `topk(t: tensor, k: int, axis: int = -1) -> record`
    public var signature: String {
        let params = parameters.map { $0.signatureText }.joined(separator: ", ")
        return "\(name)(\(params)) -> \(returns)"
    }
}

/// One parameter of a builtin: name, accepted type and default (nil when required).
public struct Parameter: Sendable {
    /// The name, also the keyword for named arguments.
    public let name: String
    /// What it accepts.
    public let type: ParameterType
    /// The default; nil marks a required parameter.
    public let defaultValue: Value?
    /// True for a trailing parameter that collects all remaining positional arguments.
    public let variadic: Bool

    /// A required parameter.
    public static func required(_ name: String, _ type: ParameterType) -> Parameter {
        Parameter(name: name, type: type, defaultValue: nil, variadic: false)
    }

    /// An optional parameter with a default.
    public static func optional(_ name: String, _ type: ParameterType, _ defaultValue: Value) -> Parameter {
        Parameter(name: name, type: type, defaultValue: defaultValue, variadic: false)
    }

    /// A trailing parameter collecting the remaining positional arguments into a list.
    public static func variadic(_ name: String, _ type: ParameterType) -> Parameter {
        Parameter(name: name, type: type, defaultValue: .list([]), variadic: true)
    }

    var signatureText: String {
        if variadic { return "\(name)...: \(type.description)" }
        guard let defaultValue else { return "\(name): \(type.description)" }
        return "\(name): \(type.description) = \(defaultValue.displayText)"
    }
}

/// The types a builtin parameter may declare. Validation and conversion are generic.
public indirect enum ParameterType: Sendable, CustomStringConvertible {
    case any
    case number
    case integer
    case bool
    case string
    /// A tensor, or a (nested) list of numbers, a range, or a number.
    case tensor
    case list
    case record
    case function
    /// A list of non-negative integers (or one integer).
    case shape
    /// One of the listed strings.
    case choice([String])
    /// Either of two types.
    case either(ParameterType, ParameterType)
    /// The type, or nil.
    case optional(ParameterType)

    public var description: String {
        switch self {
        case .any: return "any"
        case .number: return "number"
        case .integer: return "int"
        case .bool: return "bool"
        case .string: return "string"
        case .tensor: return "tensor"
        case .list: return "list"
        case .record: return "record"
        case .function: return "function"
        case .shape: return "shape"
        case .choice(let options): return options.map { "\"\($0)\"" }.joined(separator: " | ")
        case .either(let a, let b): return "\(a) | \(b)"
        case .optional(let t): return "\(t) | nil"
        }
    }

    /// True when `value` is acceptable for this type (before conversion).
    public func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _): return true
        case (.number, .number), (.number, .duration): return true
        case (.integer, .number(let n)): return n == n.rounded() && abs(n) < 9.007_199_254_740_992e15
        case (.bool, .bool): return true
        case (.string, .string): return true
        case (.tensor, .tensor), (.tensor, .number), (.tensor, .bool), (.tensor, .range): return true
        case (.tensor, .handle(let h)): return h is any TracedTensorValue
        case (.tensor, .list(let items)): return items.allSatisfy { ParameterType.tensor.accepts($0) }
        case (.list, .list): return true
        case (.record, .record): return true
        case (.function, .function): return true
        case (.shape, .number(let n)): return n == n.rounded() && n >= 0
        case (.shape, .list(let items)):
            return items.allSatisfy { if case .number(let n) = $0 { return n == n.rounded() && n >= -1 } else { return false } }
        case (.shape, .tensor(let t)): return t.ndim == 1 && t.dtype == .i32
        case (.choice(let options), .string(let s)): return options.contains(s)
        case (.either(let a, let b), _): return a.accepts(value) || b.accepts(value)
        case (.optional, .nilValue): return true
        case (.optional(let t), _): return t.accepts(value)
        default: return false
        }
    }
}
