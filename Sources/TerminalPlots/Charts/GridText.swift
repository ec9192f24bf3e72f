import Foundation

/// Text layout helpers for the bar, heatmap, spy and table charts: display widths,
/// padding, number formatting and the final "every line equally wide" assembly.
/// Display width counts Characters (braille, block and box-drawing characters are 1 wide).
enum GridText {
    /// The display width of `text`.
    static func width(_ text: String) -> Int { text.count }

    /// `text` followed by spaces up to `width` columns.
    static func padRight(_ text: String, _ width: Int) -> String {
        let n = text.count
        return n >= width ? text : text + String(repeating: " ", count: width - n)
    }

    /// Spaces then `text`, `width` columns in all.
    static func padLeft(_ text: String, _ width: Int) -> String {
        let n = text.count
        return n >= width ? text : String(repeating: " ", count: width - n) + text
    }

    /// `text` centred in `width` columns (extra space goes to the right).
    static func center(_ text: String, _ width: Int) -> String {
        let n = text.count
        guard n < width else { return text }
        let left = (width - n) / 2
        return padRight(String(repeating: " ", count: left) + text, width)
    }

    /// `text` cut to at most `width` columns, ending in "…" when cut.
    static func truncate(_ text: String, _ width: Int) -> String {
        guard text.count > width else { return text }
        guard width > 1 else { return String(text.prefix(max(0, width))) }
        return String(text.prefix(width - 1)) + "…"
    }

    /// A value label: integers exactly, others with 4 significant digits (`%.4g`, no locale).
    static func number(_ value: Double) -> String {
        if value.isNaN { return "nan" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        if value == value.rounded(), abs(value) < 1e15 {
            return value == 0 ? "0" : String(Int64(value))
        }
        return String(format: "%.4g", value)
    }

    /// The title note for skipped non-finite values, or nil when none were skipped.
    static func skippedNote(_ count: Int) -> String? {
        guard count > 0 else { return nil }
        return "(\(count) non-finite value\(count == 1 ? "" : "s") skipped)"
    }

    /// Joins `lines` with "\n" after padding each to the widest, so every line of the chart
    /// has the same display width.
    static func assemble(_ lines: [String]) -> String {
        let widest = lines.map { $0.count }.max() ?? 0
        return lines.map { padRight($0, widest) }.joined(separator: "\n")
    }

    /// The frame characters for `charset`: corners, horizontal and vertical lines.
    static func frame(_ charset: Charset) -> (topLeft: String, topRight: String, bottomLeft: String,
                                               bottomRight: String, horizontal: String, vertical: String) {
        switch charset {
        case .ascii: return ("+", "+", "+", "+", "-", "|")
        case .braille, .blocks: return ("┌", "┐", "└", "┘", "─", "│")
        }
    }

    /// `rows` of equally long cell strings inside a frame.
    static func framed(_ rows: [String], innerWidth: Int, charset: Charset) -> [String] {
        let f = frame(charset)
        var lines = [f.topLeft + String(repeating: f.horizontal, count: innerWidth) + f.topRight]
        for row in rows { lines.append(f.vertical + padRight(row, innerWidth) + f.vertical) }
        lines.append(f.bottomLeft + String(repeating: f.horizontal, count: innerWidth) + f.bottomRight)
        return lines
    }
}
