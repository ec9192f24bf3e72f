/// Padding, centring and cutting of single-line text, by Character count (braille, block
/// and box-drawing characters are one column wide).
enum TextLayout {
    /// `text` followed by spaces up to `width` columns (cut with "…" when longer).
    static func padRight(_ text: String, _ width: Int) -> String {
        let cut = truncate(text, width)
        return cut + String(repeating: " ", count: max(0, width - cut.count))
    }

    /// Spaces then `text`, `width` columns in all (cut with "…" when longer).
    static func padLeft(_ text: String, _ width: Int) -> String {
        let cut = truncate(text, width)
        return String(repeating: " ", count: max(0, width - cut.count)) + cut
    }

    /// `text` centred in `width` columns (the extra space goes right), cut when longer.
    static func center(_ text: String, _ width: Int) -> String {
        let cut = truncate(text, width)
        let left = (width - cut.count) / 2
        return padRight(String(repeating: " ", count: max(0, left)) + cut, width)
    }

    /// `text` cut to at most `width` columns, ending in "…" when cut; newlines become spaces.
    static func truncate(_ text: String, _ width: Int) -> String {
        let flat = String(text.map { $0.isNewline ? " " : $0 })
        guard flat.count > width else { return flat }
        guard width > 1 else { return String(flat.prefix(max(0, width))) }
        return String(flat.prefix(width - 1)) + "…"
    }

    /// The title with the note about skipped non-finite values appended (nil when neither).
    static func title(_ title: String?, skipped: Int) -> String? {
        let note = skipped > 0 ? "(\(skipped) non-finite value\(skipped == 1 ? "" : "s") skipped)" : nil
        let parts = [title, note].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: " ")
    }
}
