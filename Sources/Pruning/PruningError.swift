/// An error from a pruning algorithm: a bad sparsity or N:M pattern, statistics of the wrong
/// size, a Hessian that stays indefinite after dampening. The message says what to change.
public struct PruningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, so callers can classify the error.
    public enum Kind: Sendable {
        /// A bad option value (sparsity outside [0, 1), n > m, …) or a numerical failure.
        case value
        /// Tensors whose shapes do not fit together.
        case shape
    }

    /// The full message.
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
}
