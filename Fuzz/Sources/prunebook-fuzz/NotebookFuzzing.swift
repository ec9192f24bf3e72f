import PrunebookNotebook

/// The notebook target: the parser and the output writer against their documented
/// properties (notebooks.md, `Notebook.parse`, `setOutput`).
enum NotebookFuzzing {
    /// The longest output written into a cell, in bytes.
    static let outputLimit = 512
    /// How many cells get an output written.
    static let cellLimit = 4

    /// Parses `bytes` as a notebook; when it parses, checks that rendering gives the text
    /// back, that the rendering parses to the same cells, and that writing an output
    /// (the start of the input, so fences and backticks inside it are exercised) into the
    /// first `cellLimit` cells keeps the cells, reads back as written, and is idempotent.
    /// Both limits keep big inputs fast (each write re-reads every cell).
    static func roundTrip(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let output = String(decoding: bytes.prefix(outputLimit), as: UTF8.self)
        guard var notebook = try? Notebook.parse(text) else { return }
        guard notebook.rendered() == text else { violated("parse(text).rendered() != text") }
        guard let reparsed = try? Notebook.parse(text), reparsed.cells == notebook.cells else {
            violated("parsing the same text twice gives different cells")
        }
        let sources = notebook.cells.map(\.source)
        for index in notebook.cells.indices.prefix(cellLimit) {
            notebook.setOutput(output, ofCell: index)
        }
        let written = notebook.rendered()
        guard var back = try? Notebook.parse(written) else { violated("the written notebook does not parse") }
        guard back.cells == notebook.cells else { violated("the written notebook reads back with other cells") }
        guard back.cells.map(\.source) == sources else { violated("writing outputs changed a cell's code") }
        for index in back.cells.indices.prefix(cellLimit) {
            back.setOutput(output, ofCell: index)
        }
        guard back.rendered() == written else { violated("writing the same outputs twice is not byte-identical") }
    }
}
