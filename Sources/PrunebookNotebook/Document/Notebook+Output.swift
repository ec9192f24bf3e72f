extension Notebook {
    /// Stores `output` as the output of code cell `index` (an index into `cells`).
    ///
    /// - nil changes nothing: an existing `output` fence is kept as it is.
    /// - A text equal to the stored output (after normalising line endings to `\n`) changes
    ///   nothing, so writing a notebook twice is byte-identical.
    /// - Otherwise the content of the cell's `output` fence is replaced, or, when it has none,
    ///   a new `output` fence is inserted after the cell with one blank line between.
    ///
    /// The content is written with the line ending of the cell's opening fence line, and a
    /// non-empty text gets a final `\n`. The fence is kept when it can still enclose the text;
    /// otherwise (and for a new fence) it is made of backticks, longer than the longest run
    /// of backticks in the text and at least 3.
    public mutating func setOutput(_ output: String?, ofCell index: Int) {
        precondition(cells.indices.contains(index), "cell index \(index) out of range 0..<\(cells.count)")
        guard let output else { return }
        let text = NotebookLine.normalizedText(of: NotebookLine.split(output))
        guard cells[index].output != text else { return }
        let position = cellBlockIndices[index]
        guard case .cell(var cell) = blocks[position] else {
            preconditionFailure("block \(position) of cell \(index) is not a cell")
        }
        cell.writeOutput(text)
        blocks[position] = .cell(cell)
        rebuildCells()
    }
}

extension CellBlock {
    /// Replaces or inserts the `output` fence so that it holds `text` (normalised to `\n`,
    /// ending with `\n` unless empty).
    mutating func writeOutput(_ text: String) {
        let ending = code[0].ending
        let content = NotebookLine.split(text).map { NotebookLine(text: $0.text, ending: ending) }
        if let existing = output, let opening = existing.first, let closing = existing.last,
           let fence = Fence(opening: opening.text) {
            if fence.canEnclose(text) {
                output = [opening] + content + [closing]
            } else {
                let markers = String(repeating: "`", count: Fence.backtickLength(toEnclose: text))
                output = [NotebookLine(text: markers + fence.info, ending: opening.ending)] + content
                    + [NotebookLine(text: markers, ending: closing.ending)]
            }
            return
        }
        let markers = String(repeating: "`", count: Fence.backtickLength(toEnclose: text))
        var finalEnding = ending
        if let last = code.indices.last, code[last].ending.isEmpty {
            // The cell ends the file without a final newline: the new fence ends it instead.
            code[last].ending = ending
            finalEnding = ""
        }
        gap = [NotebookLine(text: "", ending: ending)]
        output = [NotebookLine(text: markers + "output", ending: ending)] + content
            + [NotebookLine(text: markers, ending: finalEnding)]
    }
}
