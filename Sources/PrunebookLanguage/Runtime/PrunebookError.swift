import TensorModule

/// An error raised while lexing, parsing or running Prunebook code. It carries the
/// location it knows; the interpreter fills in the location and `called from` trace of
/// errors raised by builtins and engine code.
public struct PrunebookError: Error, Sendable {
    /// The family of an error, which decides whether `catch` may catch it.
    public enum Kind: String, Sendable {
        case syntax, name, type, value, shape, io, user, limit, interrupt
    }

    /// The family.
    public var kind: Kind
    /// The message: lowercase, no final period, expected vs got.
    public var message: String
    /// Where it happened, when known.
    public var location: SourceLocation?
    /// The call sites the error passed through, innermost first.
    public var trace: [TraceEntry]
    /// Set when the location was chosen by the thrower and must not be replaced.
    var locationIsFinal: Bool

    /// An error of `kind` with `message`, optionally at `location`.
    public init(_ kind: Kind, _ message: String, at location: SourceLocation? = nil) {
        self.kind = kind
        self.message = message
        self.location = location
        self.trace = []
        self.locationIsFinal = location != nil
    }

    /// True for errors `try`/`catch` may catch (not interrupts or resource limits).
    public var isCatchable: Bool { kind != .interrupt && kind != .limit }

    /// The error in the spec's shape: message, `-->` location, the source line with a
    /// caret, and the `called from` trace.
    public func rendered() -> String {
        var out = "error: \(message)\n"
        guard let location else { return out + renderedTrace() }
        out += "  --> \(location.description)\n"
        let lineNumber = String(location.line)
        let gutter = String(repeating: " ", count: lineNumber.count)
        let text = location.lineText
        let caretPad = String(text.prefix(location.column - 1).map { $0 == "\t" ? "\t" : " " })
        out += "\(gutter) |\n"
        out += "\(lineNumber) | \(text)\n"
        out += "\(gutter) | \(caretPad)^\n"
        return out + renderedTrace()
    }

    /// The `called from` lines; a run of identical lines (deep recursion) shows its first
    /// three and a count of the rest, like Python's "previous line repeated".
    func renderedTrace() -> String {
        var out = ""
        var i = 0
        while i < trace.count {
            var j = i
            while j < trace.count && trace[j] == trace[i] { j += 1 }
            let run = j - i
            for _ in 0..<min(run, 3) { out += "  called from \(trace[i].description)\n" }
            if run > 3 { out += "  ... the line above repeated \(run - 3) more times\n" }
            i = j
        }
        return out
    }
}

/// One `called from` line: the call site, and the function containing it (nil at top
/// level), or an `import` statement.
public struct TraceEntry: Sendable, Equatable {
    /// What the site is.
    public enum Kind: Sendable, Equatable {
        case call(enclosingFunction: String?)
        case importStatement
    }

    /// What the site is.
    public let kind: Kind
    /// Where it is.
    public let location: SourceLocation

    /// An entry of `kind` at `location`.
    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }

    /// `` `outer` at cell 2, line 31:5 ``, `cell 2, line 31:5` or `import at line 3:1`.
    public var description: String {
        switch kind {
        case .call(let function?): return "`\(function)` at \(location.shortDescription)"
        case .call(nil): return location.shortDescription
        case .importStatement: return "import at \(location.shortDescription)"
        }
    }

    public static func == (a: TraceEntry, b: TraceEntry) -> Bool {
        a.kind == b.kind && a.location.source === b.location.source && a.location.offset == b.location.offset
    }
}

extension PrunebookError {
    /// The same error with every location (its own and the trace's) passed through
    /// `transform`, e.g. to renumber notebook lines after outputs were inserted above.
    public func relocated(_ transform: (SourceLocation) -> SourceLocation) -> PrunebookError {
        var copy = self
        copy.location = location.map(transform)
        copy.trace = trace.map { TraceEntry($0.kind, at: transform($0.location)) }
        return copy
    }

    /// A syntax error at `location`.
    static func syntax(_ message: String, _ location: SourceLocation) -> PrunebookError {
        PrunebookError(.syntax, message, at: location)
    }
}

/// Maps an error from any layer (tensor engine, builtin validators) to a PrunebookError.
public func asPrunebookError(_ error: any Error) -> PrunebookError {
    if let e = error as? PrunebookError { return e }
    if let e = error as? LanguageErrorConvertible { return e.prunebookError }
    return PrunebookError(.value, String(describing: error))
}

/// An error type from another module that knows its Prunebook kind and message.
public protocol LanguageErrorConvertible: Error {
    /// The equivalent Prunebook error (without location).
    var prunebookError: PrunebookError { get }
}

extension TensorError: LanguageErrorConvertible {
    /// Shape errors (mismatches, impossible reshapes, broadcasting) are `shape`; the rest
    /// are `value` errors.
    public var prunebookError: PrunebookError {
        let isShape = message.hasPrefix("shape mismatch") || message.hasPrefix("cannot reshape")
            || message.contains("cannot broadcast")
        return PrunebookError(isShape ? .shape : .value, message)
    }
}
