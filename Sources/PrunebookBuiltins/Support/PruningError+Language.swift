import PrunebookLanguage
import Pruning

extension PruningError: LanguageErrorConvertible {
    /// Wrong shapes are `shape` errors, the rest `value` errors.
    public var prunebookError: PrunebookError {
        switch kind {
        case .shape: return PrunebookError(.shape, message)
        case .value: return PrunebookError(.value, message)
        }
    }
}
