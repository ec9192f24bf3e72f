import PrunebookNotebook

/// Renders a `SessionRecord` as a notebook text that `prunebook replay` accepts: a title
/// line `# Prunebook session` (no date, so saving the same session twice gives the same
/// bytes), then each entry in order: a `prb` cell with its `output` fence, a `prb error`
/// cell whose output is the error's first line, or a prose paragraph for a note.
enum SessionNotebook {
    /// The title line every saved session starts with.
    static let title = "# Prunebook session"

    /// The notebook text of `record`. Code fences are longer than any backtick run in the
    /// code; output fences are chosen by `Notebook.setOutput`; note lines that would open a
    /// fence are escaped with a backslash so they stay prose. Empty outputs get no fence.
    static func render(_ record: SessionRecord) throws(NotebookError) -> String {
        var skeleton = title + "\n"
        var outputs: [String] = []
        for entry in record.entries {
            skeleton += "\n"
            switch entry {
            case .cell(let code, let output):
                skeleton += fenced(code, info: "prb")
                outputs.append(output)
            case .errorCell(let code, let output):
                skeleton += fenced(code, info: "prb error")
                outputs.append(output)
            case .note(let text):
                skeleton += prose(text)
            }
        }
        var notebook = try Notebook.parse(skeleton)
        precondition(notebook.cells.count == outputs.count, "a saved session's cells do not parse back one to one")
        for (index, output) in outputs.enumerated() where !output.isEmpty {
            notebook.setOutput(output, ofCell: index)
        }
        return notebook.rendered()
    }

    /// `code` in a backtick fence opened with `info`, followed by a newline.
    private static func fenced(_ code: String, info: String) -> String {
        let markers = String(repeating: "`", count: max(3, longestBacktickRun(in: code) + 1))
        return "\(markers)\(info)\n\(code)\n\(markers)\n"
    }

    /// `text` as a paragraph: each line that starts with a fence marker is escaped.
    private static func prose(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasPrefix("```") || line.hasPrefix("~~~") ? "\\" + line : String(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The length of the longest run of backticks in `text`.
    private static func longestBacktickRun(in text: String) -> Int {
        var longest = 0
        var run = 0
        for scalar in text.unicodeScalars {
            run = scalar == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        return longest
    }
}
