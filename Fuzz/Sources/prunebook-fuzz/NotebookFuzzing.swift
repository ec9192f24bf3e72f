import PrunebookNotebook

/// The notebook target: the parser and the output writer against their documented
/// properties (notebooks.md, `Notebook.parse`, `setOutput`).
enum NotebookFuzzing {
    /// The longest output written into a cell, in bytes.
    static let outputLimit = 512

    /// Parses `bytes` as a notebook; when it parses, checks that rendering gives the text
    /// back, that the rendering parses to the same cells, and that writing an output
    /// (the input text itself, so fences and backticks inside it are exercised) into every
    /// cell keeps the cells, reads back as written, and is idempotent. The written output
    /// is the input's first `outputLimit` bytes, so big inputs stay fast.
    static func roundTrip(_ bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let output = String(decoding: bytes.prefix(outputLimit), as: UTF8.self)
        guard var notebook = try? Notebook.parse(text) else { return }
        guard notebook.rendered() == text else { violated("parse(text).rendered() != text") }
        guard let reparsed = try? Notebook.parse(text), reparsed.cells == notebook.cells else {
            violated("parsing the same text twice gives different cells")
        }
        let sources = notebook.cells.map(\.source)
        for index in notebook.cells.indices {
            notebook.setOutput(output, ofCell: index)
        }
        let written = notebook.rendered()
        guard var back = try? Notebook.parse(written) else { violated("the written notebook does not parse") }
        guard back.cells == notebook.cells else { violated("the written notebook reads back with other cells") }
        guard back.cells.map(\.source) == sources else { violated("writing outputs changed a cell's code") }
        for index in back.cells.indices {
            back.setOutput(output, ofCell: index)
        }
        guard back.rendered() == written else { violated("writing the same outputs twice is not byte-identical") }
    }
}
