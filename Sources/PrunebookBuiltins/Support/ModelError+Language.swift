import Models
import PrunebookLanguage

extension ModelError: LanguageErrorConvertible {
    /// File problems are `io` errors, wrong shapes `shape` errors, the rest `value` errors.
    public var prunebookError: PrunebookError {
        switch kind {
        case .io: return PrunebookError(.io, message)
        case .shape: return PrunebookError(.shape, message)
        case .value: return PrunebookError(.value, message)
        }
    }
}
