extension Notebook {
    /// A piece of a notebook as readers see it: prose text, or a code cell with its output.
    public enum Segment: Sendable, Equatable {
        /// Prose exactly as in the file, line endings included.
        case prose(String)
        /// A code cell (its `output` fence and the blank lines before it belong to it).
        case cell(CodeCell)
    }

    /// The notebook in file order, for rendering to a terminal or converting to a script.
    /// Joining the prose texts and the cells' fences gives the file back.
    public var segments: [Segment] {
        var segments: [Segment] = []
        var cellIndex = 0
        for block in blocks {
            switch block {
            case .prose(let lines):
                var text = ""
                for line in lines {
                    text += line.text
                    text += line.ending
                }
                segments.append(.prose(text))
            case .cell:
                segments.append(.cell(cells[cellIndex]))
                cellIndex += 1
            }
        }
        return segments
    }
}
