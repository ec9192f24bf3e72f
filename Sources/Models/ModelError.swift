/// The one error type of the Models module: a lowercase message that names the file and,
/// for loaders, the byte offset where reading went wrong, with expected vs got.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, so callers can classify the error.
    public enum Kind: Sendable {
        /// A file that cannot be read, written or parsed.
        case io
        /// A bad value: a token outside the vocabulary, an option out of range.
        case value
        /// Tensors whose shapes do not fit the model.
        case shape
    }

    /// The full message, e.g. `stories260K.bin: truncated at byte 1000: …`.
    public let message: String
    /// The class of the error.
    public let kind: Kind

    /// An error with the given message.
    public init(_ message: String, kind: Kind = .value) {
        self.message = message
        self.kind = kind
    }

    /// The message.
    public var description: String { message }

    /// A loader error: `"<file>: <what> at byte <offset>: <detail>"`.
    static func at(_ file: String, _ what: String, byte offset: Int, _ detail: String) -> ModelError {
        ModelError("\(file): \(what) at byte \(offset): \(detail)", kind: .io)
    }
}

extension Int {
    /// The number with thousands separators (`1,056,540`), for messages and displays.
    public var grouped: String {
        let digits = String(self.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return self < 0 ? "-" + out : out
    }
}
