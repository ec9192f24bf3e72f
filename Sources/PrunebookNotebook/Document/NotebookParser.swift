extension Notebook {
    /// The notebook in `text` (notebook.md "Parsing rules"). Grammar, by lines:
    ///
    ///     notebook := (prose | cell)*
    ///     cell     := fence("prb" option*) code-line* closing (blank* fence("output") line* closing)?
    ///     prose    := any other line, including whole fences that are not `prb` cells
    ///
    /// A fence closes at the first line of the same marker at least as long with nothing else
    /// but spaces. An `output` fence belongs to a cell only when just blank lines separate
    /// them; elsewhere it is prose. Unterminated `prb` and `output` fences, unknown cell options
    /// and duplicate cell ids are errors at their line; other unterminated fences run to the
    /// end of the file, as in CommonMark. Nothing is lost: `rendered()` gives `text` back.
    public static func parse(_ text: String) throws(NotebookError) -> Notebook {
        var parser = NotebookParser(lines: NotebookLine.split(text))
        return Notebook(blocks: try parser.parse())
    }
}

/// The fence scanner behind `Notebook.parse`: one pass over the lines.
struct NotebookParser {
    /// The file's lines.
    let lines: [NotebookLine]
    /// The next line to read.
    private var position = 0
    /// The blocks found so far.
    private var blocks: [NotebookBlock] = []
    /// Prose lines not yet closed into a block.
    private var prose: [NotebookLine] = []
    /// Cell ids seen so far, with the line of their fence.
    private var ids: [String: Int] = [:]

    /// A scanner over `lines`.
    init(lines: [NotebookLine]) {
        self.lines = lines
    }

    /// All the blocks of the file.
    mutating func parse() throws(NotebookError) -> [NotebookBlock] {
        while position < lines.count {
            let line = lines[position]
            guard let fence = Fence(opening: line.text) else {
                prose.append(line)
                position += 1
                continue
            }
            switch fence.infoWord {
            case "prb":
                try parseCell(fence)
            case "output":
                let closing = try closingLine(of: fence, openedAt: position, kind: "output")
                prose.append(contentsOf: lines[position...closing])
                position = closing + 1
            default:
                let closing = findClosing(of: fence, openedAt: position) ?? lines.count - 1
                prose.append(contentsOf: lines[position...closing])
                position = closing + 1
            }
        }
        flushProse()
        return blocks
    }

    /// Reads the cell opened by `fence` at `position`, and the `output` fence after it.
    private mutating func parseCell(_ fence: Fence) throws(NotebookError) {
        let opening = position
        let closing = try closingLine(of: fence, openedAt: opening, kind: "prb")
        let options = try CellOptions.parse(Array(fence.infoWords.dropFirst()), line: opening + 1)
        if let id = options.id {
            if let first = ids[id] {
                throw NotebookError("duplicate cell id `\(id)`: already used by the cell at line \(first)", line: opening + 1)
            }
            ids[id] = opening + 1
        }
        var cell = CellBlock(options: options, code: Array(lines[opening...closing]), gap: [], output: nil)
        var next = closing + 1
        while next < lines.count && lines[next].isBlank { next += 1 }
        if next < lines.count, let outputFence = Fence(opening: lines[next].text), outputFence.infoWord == "output" {
            let outputClosing = try closingLine(of: outputFence, openedAt: next, kind: "output")
            cell.gap = Array(lines[(closing + 1)..<next])
            cell.output = Array(lines[next...outputClosing])
            position = outputClosing + 1
        } else {
            position = closing + 1
        }
        flushProse()
        blocks.append(.cell(cell))
    }

    /// The index of the line closing `fence` (opened at index `opening`); an error naming
    /// the opening line when the file ends first.
    private func closingLine(of fence: Fence, openedAt opening: Int, kind: String) throws(NotebookError) -> Int {
        guard let closing = findClosing(of: fence, openedAt: opening) else {
            let markers = fence.marker == "`" ? "backticks" : "tildes"
            throw NotebookError(
                "unterminated `\(kind)` fence: expected a closing line of at least \(fence.length) \(markers), got the end of the file",
                line: opening + 1)
        }
        return closing
    }

    /// The index of the line closing `fence` (opened at index `opening`), if any.
    private func findClosing(of fence: Fence, openedAt opening: Int) -> Int? {
        var index = opening + 1
        while index < lines.count {
            if fence.isClosed(by: lines[index].text) { return index }
            index += 1
        }
        return nil
    }

    /// Closes the pending prose lines into a block.
    private mutating func flushProse() {
        guard !prose.isEmpty else { return }
        blocks.append(.prose(prose))
        prose = []
    }
}
