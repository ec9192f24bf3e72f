import Foundation
import PrunebookBuiltins

/// Converts between `.prb` scripts and `.md` notebooks. Script → notebook: every `#%%` cell
/// becomes a `prb` code cell; the marker's title becomes a `##` heading and the comment
/// lines directly after the marker become prose. Notebook → script: the reverse; stored
/// outputs are dropped. Converting a script to a notebook and back gives the script again
/// (up to blank lines around cells).
public enum ScriptConversion {
    /// The Markdown notebook for script `text`.
    public static func notebook(fromScript text: String) -> String {
        var blocks: [String] = []
        for cell in ScriptRunner.cells(of: text) {
            var lines = cell.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var prose: [String] = []
            if let first = lines.first, first.hasPrefix("#%%") {
                let title = first.dropFirst(3).trimmingCharacters(in: .whitespaces)
                if !title.isEmpty { prose.append("## \(title)") }
                lines.removeFirst()
                var commentLines: [String] = []
                while let line = lines.first, line.hasPrefix("#"), !line.hasPrefix("##"), !line.hasPrefix("#%%") {
                    commentLines.append(line.hasPrefix("# ") ? String(line.dropFirst(2)) : String(line.dropFirst(1)))
                    lines.removeFirst()
                }
                if !commentLines.isEmpty {
                    if !prose.isEmpty { prose.append("") }
                    prose += commentLines
                }
            }
            let code = trimBlankLines(lines)
            if !prose.isEmpty { blocks.append(prose.joined(separator: "\n")) }
            if !code.isEmpty { blocks.append("```prb\n" + code.joined(separator: "\n") + "\n```") }
        }
        return blocks.joined(separator: "\n\n") + "\n"
    }

    /// The `.prb` script for `notebook`: prose as comments after `#%%` markers.
    public static func script(from notebook: Notebook) -> String {
        var out: [String] = []
        var pendingProse: [String] = []
        for segment in notebook.segments {
            switch segment {
            case .prose(let text):
                pendingProse += text.split(separator: "\n", omittingEmptySubsequences: false).map { String($0).trimmingCharacters(in: CharacterSet(charactersIn: "\r")) }
            case .cell(let cell):
                var prose = trimBlankLines(pendingProse)
                pendingProse = []
                var marker = "#%%"
                if let first = prose.first, first.hasPrefix("## ") || first.hasPrefix("# ") {
                    marker += " " + first.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)
                    prose = trimBlankLines(Array(prose.dropFirst()))
                }
                if !out.isEmpty { out.append("") }
                out.append(marker)
                out += prose.map { $0.isEmpty ? "#" : "# \($0)" }
                out += trimBlankLines(cell.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            }
        }
        return out.joined(separator: "\n") + "\n"
    }

    static func trimBlankLines(_ lines: [String]) -> [String] {
        var result = lines
        while let first = result.first, first.trimmingCharacters(in: .whitespaces).isEmpty { result.removeFirst() }
        while let last = result.last, last.trimmingCharacters(in: .whitespaces).isEmpty { result.removeLast() }
        return result
    }
}
