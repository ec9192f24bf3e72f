import Foundation

extension Charts {
    /// A Markdown-compatible table: a `| col | col |` header, a `|---|---:|` separator
    /// (right-aligned for numeric columns) and rows padded to the column widths, so it reads
    /// aligned in a terminal and renders as a table in Markdown. Cells are used as given
    /// (the caller formats numbers); `|` in a cell is escaped as `\|` and newlines become
    /// spaces. Rows shorter than the header are padded with empty cells, longer rows add
    /// unnamed columns. `numeric[i]` (false when missing) right-aligns column `i`.
    public static func table(columns: [String], rows: [[String]], numeric: [Bool]) -> String {
        let count = max(columns.count, rows.map(\.count).max() ?? 0)
        guard count > 0 else { return "(empty table)" }
        func clean(_ cell: String) -> String {
            cell.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
        }
        let header = (0..<count).map { $0 < columns.count ? clean(columns[$0]) : "" }
        let body = rows.map { row in (0..<count).map { $0 < row.count ? clean(row[$0]) : "" } }
        let right = (0..<count).map { $0 < numeric.count && numeric[$0] }
        let widths = (0..<count).map { c in
            max(3, ([header[c]] + body.map { $0[c] }).map(GridText.width).max() ?? 0)
        }
        func line(_ cells: [String]) -> String {
            let padded = (0..<count).map { c in
                right[c] ? GridText.padLeft(cells[c], widths[c]) : GridText.padRight(cells[c], widths[c])
            }
            return "| " + padded.joined(separator: " | ") + " |"
        }
        let separator = "|" + (0..<count).map { c in
            right[c] ? String(repeating: "-", count: widths[c] + 1) + ":" : String(repeating: "-", count: widths[c] + 2)
        }.joined(separator: "|") + "|"
        return GridText.assemble([line(header), separator] + body.map(line))
    }
}
