import Foundation
import PrunebookLanguage

/// Runs `.prb` scripts: splits them into cells at `#%%` lines and runs the cells in order
/// in one context.
public enum ScriptRunner {
    /// One cell of a script: its text, 1-based number and the file line before it.
    public struct Cell {
        /// The cell's source text.
        public let text: String
        /// 1-based cell number.
        public let number: Int
        /// Lines of the file before the cell's first line.
        public let lineOffset: Int
    }

    /// Splits `text` at lines starting with `#%%`. The marker line belongs to the cell it
    /// opens (it is a comment).
    public static func cells(of text: String) -> [Cell] {
        var cells: [Cell] = []
        var current: [Substring] = []
        var startLine = 0
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("#%%") && i > 0 && !current.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
                cells.append(Cell(text: current.joined(separator: "\n"), number: cells.count + 1, lineOffset: startLine))
                current = []
                startLine = i
            } else if line.hasPrefix("#%%") && current.allSatisfy({ $0.allSatisfy(\.isWhitespace) }) {
                current = []
                startLine = i
            }
            current.append(line)
        }
        cells.append(Cell(text: current.joined(separator: "\n"), number: cells.count + 1, lineOffset: startLine))
        return cells
    }

    /// Runs the script `text` (shown as `name` in errors, read from `path` when it is a
    /// file, so `import` resolves next to it) in `context`, stopping at the first error,
    /// which is thrown.
    public static func run(_ text: String, name: String, path: String? = nil, in context: RunContext) throws {
        let cells = cells(of: text)
        let numbered = cells.count > 1
        for cell in cells {
            let source = SourceFile(name: name, text: cell.text, path: path, cell: numbered ? cell.number : nil, lineOffset: cell.lineOffset)
            // `prunebook run --timeout S` sets the budget; each cell gets it afresh.
            if let seconds = context.limits.cellSeconds { context.deadline = Date(timeIntervalSinceNow: seconds) }
            defer { if context.limits.cellSeconds != nil { context.deadline = nil } }
            try Interpreter.runCell(source, in: context)
        }
    }
}
