/// One piece of Prunebook source: a script, a notebook cell or a REPL input, with where it
/// sits in its file so diagnostics report the file's own line numbers.
public final class SourceFile: Sendable {
    /// The path or name shown in diagnostics (`notebooks/01-wanda.md`, `<repl>`).
    public let name: String
    /// The file's location on disk, when it has one; `import` resolves against its folder.
    public let path: String?
    /// The source text as UTF-8 bytes.
    public let bytes: [UInt8]
    /// The 1-based cell number when the file has several cells, else nil.
    public let cell: Int?
    /// The file line of the source's first line, minus one (0 for a whole file).
    public let lineOffset: Int
    /// Byte offsets where each line starts.
    let lineStarts: [Int]

    /// Source text from `name`, starting at file line `lineOffset + 1`.
    public init(name: String, text: String, path: String? = nil, cell: Int? = nil, lineOffset: Int = 0) {
        self.name = name
        self.path = path
        self.bytes = Array(text.utf8)
        self.cell = cell
        self.lineOffset = lineOffset
        var starts = [0]
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(i + 1)
        }
        self.lineStarts = starts
    }

    /// The 0-based line index holding byte `offset`.
    func lineIndex(of offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The text of the 0-based line `index`, without its line break.
    func lineText(_ index: Int) -> String {
        let start = lineStarts[index]
        var end = index + 1 < lineStarts.count ? lineStarts[index + 1] : bytes.count
        while end > start, bytes[end - 1] == UInt8(ascii: "\n") || bytes[end - 1] == UInt8(ascii: "\r") {
            end -= 1
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

/// A position in a source: the file, and a byte offset into it.
public struct SourceLocation: Sendable {
    /// The source holding the position.
    public let source: SourceFile
    /// The byte offset into `source.bytes`.
    public let offset: Int

    /// A location at `offset` in `source`.
    public init(source: SourceFile, offset: Int) {
        self.source = source
        self.offset = offset
    }

    /// The 1-based line number in the file.
    public var line: Int { source.lineIndex(of: offset) + 1 + source.lineOffset }

    /// The 1-based column, counted in characters.
    public var column: Int {
        let index = source.lineIndex(of: offset)
        let start = source.lineStarts[index]
        let end = min(offset, source.bytes.count)
        return String(decoding: source.bytes[start..<end], as: UTF8.self).count + 1
    }

    /// The source line holding this location.
    public var lineText: String { source.lineText(source.lineIndex(of: offset)) }

    /// `cell 3, line 42:7` (or `line 42:7` when the source has no cell number).
    public var shortDescription: String {
        let cellPart = source.cell.map { "cell \($0), " } ?? ""
        return "\(cellPart)line \(line):\(column)"
    }

    /// `notebooks/01-wanda.md, cell 3, line 42:7`.
    public var description: String { "\(source.name), \(shortDescription)" }
}
