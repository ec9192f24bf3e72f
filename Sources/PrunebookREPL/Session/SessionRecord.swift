/// The part of a REPL session that `:save` writes (notebook.md "Sessions"): every code input
/// that ran to completion with its output, every input that raised an error with the
/// error's first line, and `:note` paragraphs, in the order they happened. Interrupted
/// inputs and meta commands are not recorded; `:reset` empties the record.
struct SessionRecord: Equatable {
    /// One recorded step.
    enum Entry: Equatable {
        /// Code that ran to completion; `output` is what it printed, then its displayed value.
        case cell(code: String, output: String)
        /// Code that raised an error; `output` is what it printed before, then the rendered
        /// error's first line (`error: <message>`), which replay prefix-matches.
        case errorCell(code: String, output: String)
        /// A `:note` paragraph.
        case note(String)
    }

    /// The entries in the order they happened.
    private(set) var entries: [Entry] = []

    /// The number of code cells (completed and failed) recorded.
    var cellCount: Int {
        entries.count { if case .note = $0 { return false } else { return true } }
    }

    /// Records code that ran to completion.
    mutating func recordCompleted(_ code: String, output: String) {
        entries.append(.cell(code: Self.trimmedCode(code), output: output))
    }

    /// Records code that failed with `renderedError` after printing `printed`.
    mutating func recordFailed(_ code: String, printed: String, renderedError: String) {
        let firstLine = renderedError.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        entries.append(.errorCell(code: Self.trimmedCode(code), output: printed + firstLine + "\n"))
    }

    /// Records a prose paragraph.
    mutating func recordNote(_ text: String) {
        entries.append(.note(text))
    }

    /// Forgets everything (`:reset`).
    mutating func clear() {
        entries = []
    }

    /// `code` without trailing blank lines and spaces, so a cell ends at its last statement.
    private static func trimmedCode(_ code: String) -> String {
        var text = Substring(code)
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        while text.hasPrefix("\n") { text = text.dropFirst() }
        return String(text)
    }
}
