/// One line of a notebook file: its text and the terminator that followed it, so the file
/// can be rebuilt byte for byte.
struct NotebookLine: Sendable, Equatable {
    /// The line without its terminator.
    var text: String
    /// `"\n"`, `"\r\n"`, or `""` for a last line without a final newline.
    var ending: String

    /// The lines of `text`, split on the byte `\n` (a `\r` directly before it belongs to the
    /// terminator). Splitting works on UTF-8 bytes, never on `Character`s, because `"\r\n"`
    /// is a single `Character`. Concatenating `text + ending` of every line gives `text` back.
    static func split(_ text: String) -> [NotebookLine] {
        var lines: [NotebookLine] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var i = start
        while i < bytes.endIndex {
            if bytes[i] == UInt8(ascii: "\n") {
                var end = i
                var ending = "\n"
                if end > start, bytes[bytes.index(before: end)] == UInt8(ascii: "\r") {
                    end = bytes.index(before: end)
                    ending = "\r\n"
                }
                lines.append(NotebookLine(text: String(decoding: bytes[start..<end], as: UTF8.self), ending: ending))
                start = bytes.index(after: i)
            }
            i = bytes.index(after: i)
        }
        if start < bytes.endIndex {
            lines.append(NotebookLine(text: String(decoding: bytes[start...], as: UTF8.self), ending: ""))
        }
        return lines
    }

    /// True when the line is empty or holds only spaces and tabs.
    var isBlank: Bool { text.unicodeScalars.allSatisfy { $0 == " " || $0 == "\t" } }

    /// The text without carriage returns at its end, as stored in a cell's source or output.
    var normalizedText: String {
        var scalars = text.unicodeScalars[...]
        while scalars.last == "\r" { scalars = scalars.dropLast() }
        var result = ""
        result.unicodeScalars.append(contentsOf: scalars)
        return result
    }

    /// The text of `lines` normalised to `\n`: each line's text, without trailing carriage
    /// returns, followed by `\n`.
    static func normalizedText<S: Sequence>(of lines: S) -> String where S.Element == NotebookLine {
        var result = ""
        for line in lines {
            result += line.normalizedText
            result += "\n"
        }
        return result
    }
}
