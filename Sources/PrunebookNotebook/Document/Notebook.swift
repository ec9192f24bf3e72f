/// A notebook: a Markdown file whose `prb` fences are code cells, each optionally followed
/// by an `output` fence. Everything else is prose, kept byte for byte, so
/// `Notebook.parse(text).rendered() == text` for every text that parses.
public struct Notebook: Sendable {
    /// The file as prose runs and code cells, in order.
    var blocks: [NotebookBlock]
    /// For each code cell, its position in `blocks`.
    private(set) var cellBlockIndices: [Int]
    /// The code cells in file order.
    public private(set) var cells: [CodeCell]

    /// A notebook of `blocks`.
    init(blocks: [NotebookBlock]) {
        self.blocks = blocks
        self.cellBlockIndices = []
        self.cells = []
        rebuildCells()
    }

    /// The file text: every line of every block with its own line ending.
    public func rendered() -> String {
        var text = ""
        for block in blocks {
            for line in block.lines {
                text += line.text
                text += line.ending
            }
        }
        return text
    }

    /// Recomputes `cells` (and their line numbers) from `blocks`.
    mutating func rebuildCells() {
        var cells: [CodeCell] = []
        var indices: [Int] = []
        var nextLine = 1
        for (position, block) in blocks.enumerated() {
            if case .cell(let cell) = block {
                indices.append(position)
                cells.append(cell.codeCell(index: cells.count, fenceLine: nextLine))
            }
            nextLine += block.lines.count
        }
        self.cells = cells
        self.cellBlockIndices = indices
    }
}

/// A run of a notebook file: prose, or a code cell with its output.
enum NotebookBlock: Sendable, Equatable {
    /// Lines kept as they are: text, blank lines, and fences that are not code cells.
    case prose([NotebookLine])
    /// A code cell.
    case cell(CellBlock)

    /// The block's lines in file order.
    var lines: [NotebookLine] {
        switch self {
        case .prose(let lines): return lines
        case .cell(let cell): return cell.lines
        }
    }
}

/// The lines of a code cell: its fence, the blank lines after it, and its `output` fence.
struct CellBlock: Sendable, Equatable {
    /// The options after `prb`.
    var options: CellOptions
    /// The opening fence line, the code lines and the closing fence line.
    var code: [NotebookLine]
    /// The blank lines between the closing fence and the `output` fence (empty when there
    /// is no output fence: blank lines after a cell without output are prose).
    var gap: [NotebookLine]
    /// The `output` fence from its opening to its closing line, or nil.
    var output: [NotebookLine]?

    /// All the lines in file order.
    var lines: [NotebookLine] { code + gap + (output ?? []) }

    /// The public view of this cell as cell number `index` (from 0) opened at `fenceLine`.
    func codeCell(index: Int, fenceLine: Int) -> CodeCell {
        CodeCell(
            index: index,
            options: options,
            source: NotebookLine.normalizedText(of: code.dropFirst().dropLast()),
            firstLine: fenceLine + 1,
            fenceLine: fenceLine,
            output: output.map { NotebookLine.normalizedText(of: $0.dropFirst().dropLast()) }
        )
    }
}
