/// An expression with the byte offset of the token that locates it in diagnostics (for a
/// binary operation, the operator).
public struct Expr: Sendable {
    /// What the expression is.
    public indirect enum Kind: Sendable {
        case number(Double)
        case string(String)
        case formatString([FormatPart])
        case bool(Bool)
        case nilLiteral
        case name(String)
        case list([Expr])
        case record([(key: String, value: Expr)])
        case unary(UnaryOperator, Expr)
        case binary(BinaryOperator, Expr, Expr)
        case logical(isAnd: Bool, Expr, Expr)
        case call(callee: Expr, arguments: [CallArgument])
        case index(base: Expr, items: [IndexItem])
        case field(base: Expr, name: String)
        case function(FunctionDecl)
    }

    /// What the expression is.
    public var kind: Kind
    /// Byte offset of its locating token.
    public var offset: Int
}

/// A piece of an f-string after parsing.
public enum FormatPart: Sendable {
    case text(String)
    case expression(Expr, spec: String?)
}

/// One argument of a call: positional (`name` nil) or named (`axis: 1`).
public struct CallArgument: Sendable {
    /// The parameter name for a named argument.
    public var name: String?
    /// The argument expression.
    public var value: Expr
    /// Offset of the argument (its name when named).
    public var offset: Int
}

/// One subscript of an index expression.
public enum IndexItem: Sendable {
    case expression(Expr)
    case slice(start: Expr?, stop: Expr?, step: Expr?)
}

/// Unary operators: `-x` and `not x`.
public enum UnaryOperator: String, Sendable {
    case negate = "-"
    case not = "not"
}

/// Binary operators other than `and`/`or`.
public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", modulo = "%", power = "**"
    case matmul = "@"
    case equal = "==", notEqual = "!=", less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">="
}

/// A function: a named `fn` statement, an anonymous `fn(...) { }` or a lambda `fn(x) => e`.
public final class FunctionDecl: Sendable {
    /// The function's name (nil for anonymous functions and lambdas).
    public let name: String?
    /// Parameters in order, each with an optional default expression.
    public let parameters: [(name: String, defaultValue: Expr?)]
    /// The body; a lambda's body is one `return`.
    public let body: [Stmt]
    /// The `##` doc comment above the declaration.
    public let doc: String?
    /// Offset of the `fn` keyword.
    public let offset: Int

    init(name: String?, parameters: [(name: String, defaultValue: Expr?)], body: [Stmt], doc: String?, offset: Int) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.doc = doc
        self.offset = offset
    }
}

/// A statement with the offset of its first token.
public struct Stmt: Sendable {
    /// What the statement is.
    public indirect enum Kind: Sendable {
        case expression(Expr)
        case assign(target: Expr, value: Expr)
        case compoundAssign(target: Expr, op: BinaryOperator, value: Expr)
        case ifElse(condition: Expr, then: [Stmt], otherwise: [Stmt]?)
        case forLoop(variables: [(name: String, offset: Int)], iterable: Expr, body: [Stmt])
        case whileLoop(condition: Expr, body: [Stmt])
        case breakLoop
        case continueLoop
        case returnValue(Expr?)
        case function(FunctionDecl)
        case importFile(path: String)
        case tryCatch(body: [Stmt], name: String?, handler: [Stmt])
    }

    /// What the statement is.
    public var kind: Kind
    /// Offset of its first token.
    public var offset: Int
}

/// A parsed cell or script: its statements, and whether the last one is an expression
/// whose value is displayed (no trailing `;`).
public struct Program: Sendable {
    /// The top-level statements.
    public var statements: [Stmt]
    /// True when the last statement is an expression not followed by `;`.
    public var displaysLast: Bool
    /// The source the offsets refer to.
    public var source: SourceFile
}
