@testable import PrunebookNotebook
import Testing

/// SplitMix64: a tiny seeded generator so every run of the property test sees the same
/// documents.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A random Markdown notebook and the cells a correct parser must find in it.
struct GeneratedNotebook {
    /// The file text.
    var text = ""
    /// Expected source and output of each code cell, in order.
    var cells: [(source: String, output: String?)] = []
}

/// Builds random notebooks: prose lines, code cells with and without outputs, fences of 3–6
/// backticks and tildes, fences nested in prose fences, stray `output` fences in prose,
/// LF/CRLF mixes and a missing final newline.
struct NotebookGenerator {
    var random: SplitMix64
    /// 0: LF only, 1: CRLF only, 2: mixed per line.
    private var endingMode = 0
    private var lines: [String] = []
    private var cells: [(source: String, output: String?)] = []

    init(seed: UInt64) { random = SplitMix64(seed: seed) }

    static let words = ["weights", "prune", "the", "µs", "naïve", "🙂", "x = 1", "`inline`", "``two``", "~tilde~",
                        "3.14", "-2e-3", "|a|b|", "\tTab", "*em*", "[link](a.md)", "``` mid-line", "~~~ mid"]

    mutating func int(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &random) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &random) < p }
    mutating func pick<T>(_ items: [T]) -> T { items[int(0...(items.count - 1))] }

    /// A line of words that never starts a fence.
    mutating func textLine() -> String {
        let count = int(0...5)
        var words: [String] = []
        for _ in 0..<count { words.append(pick(Self.words)) }
        var line = words.joined(separator: pick([" ", "  ", "\t"]))
        if chance(0.1) { line = "    " + line }
        if chance(0.1) { line = pick(["# ", "## ", "> ", "- ", "``", "~~", " ```", "  ~~~~ "]) + line }
        // "``" or "~~" before "`inline`" or "~tilde~" would open a fence.
        return line.hasPrefix("```") || line.hasPrefix("~~~") ? "x" + line : line
    }

    /// A line inside a fence of `marker` × `length` that does not close it.
    mutating func innerLine(marker: Character, length: Int) -> String {
        switch int(0...5) {
        case 0 where length > 3:
            return String(repeating: marker, count: int(3...(length - 1))) + pick(["", "prb", "output", " x"])
        case 1:
            let other: Character = marker == "`" ? "~" : "`"
            return String(repeating: other, count: int(3...7)) + pick(["", "prb", "output"])
        case 2:
            return String(repeating: marker, count: int(length...(length + 2))) + pick(["x", " prb", "output"])
        default:
            return textLine()
        }
    }

    mutating func append(_ line: String) { lines.append(line) }

    /// A closing line for a fence of `marker` × `length`.
    mutating func closing(marker: Character, length: Int) -> String {
        String(repeating: marker, count: int(length...(length + 2))) + pick(["", "", " ", "  \t"])
    }

    /// Appends a fenced block; returns its content normalised to `\n`.
    mutating func fence(info: String) -> String {
        let marker: Character = chance(0.7) ? "`" : "~"
        let length = int(3...6)
        append(String(repeating: marker, count: length) + info)
        var content = ""
        for _ in 0..<int(0...4) {
            let line = innerLine(marker: marker, length: length)
            append(line)
            content += line + "\n"
        }
        append(closing(marker: marker, length: length))
        return content
    }

    mutating func codeCell() {
        let info = pick(["prb", "prb", "prb nocheck", " prb", "prb\tskip", "prb id=c\(cells.count)", "prb error  "])
        let source = fence(info: info)
        var output: String?
        if chance(0.6) {
            for _ in 0..<int(0...2) { append(pick(["", " ", "\t"])) }
            output = fence(info: pick(["output", "output", " output", "output extra"]))
        }
        cells.append((source, output))
    }

    mutating func proseBlock() {
        switch int(0...5) {
        case 0:
            // A fence that is not a cell, possibly holding shorter cell-looking fences.
            _ = fence(info: pick(["", "python", "markdown", " text", "prbx", "outputs"]))
        case 1:
            // An `output` fence not directly after a cell: prose.
            append("Words" + textLine())
            _ = fence(info: "output")
        default:
            for _ in 0..<int(1...3) { append(textLine()) }
        }
    }

    /// A fresh random notebook.
    mutating func notebook() -> GeneratedNotebook {
        lines = []
        cells = []
        endingMode = int(0...2)
        for _ in 0..<int(0...8) {
            if chance(0.45) { codeCell() } else { proseBlock() }
        }
        var text = ""
        for (i, line) in lines.enumerated() {
            text += line
            let ending = endingMode == 0 ? "\n" : endingMode == 1 ? "\r\n" : pick(["\n", "\r\n"])
            if i < lines.count - 1 || chance(0.7) { text += ending }
        }
        return GeneratedNotebook(text: text, cells: cells)
    }

    /// A random output text: normalised (ends with `\n` unless empty), sometimes with long
    /// backtick runs or tilde fences inside.
    mutating func outputText() -> String {
        if chance(0.1) { return "" }
        var text = ""
        for _ in 0..<int(1...4) {
            switch int(0...4) {
            case 0: text += String(repeating: "`", count: int(1...8)) + pick(["", "output", " a"]) + "\n"
            case 1: text += String(repeating: "~", count: int(3...7)) + "\n"
            default: text += textLine() + "\n"
            }
        }
        return text
    }
}

@Suite struct NotebookRoundTripTests {
    static let documentCount = 500

    /// The prose segments of `notebook`, to check that writing outputs leaves them alone.
    func prose(_ notebook: Notebook) -> [String] {
        notebook.segments.compactMap { segment in
            if case .prose(let text) = segment { return text }
            return nil
        }
    }

    @Test func generatedNotebooksRenderByteForByte() throws {
        var generator = NotebookGenerator(seed: 0x5EED)
        for number in 0..<Self.documentCount {
            let document = generator.notebook()
            let notebook = try Notebook.parse(document.text)
            #expect(Array(notebook.rendered().utf8) == Array(document.text.utf8), "document \(number)")
            #expect(notebook.cells.map(\.source) == document.cells.map(\.source), "document \(number)")
            #expect(notebook.cells.map(\.output) == document.cells.map(\.output), "document \(number)")
        }
    }

    @Test func settingTheStoredOutputChangesNothing() throws {
        var generator = NotebookGenerator(seed: 42)
        for number in 0..<Self.documentCount {
            let document = generator.notebook()
            var notebook = try Notebook.parse(document.text)
            for cell in notebook.cells {
                notebook.setOutput(nil, ofCell: cell.index)
                if let output = cell.output { notebook.setOutput(output, ofCell: cell.index) }
            }
            #expect(Array(notebook.rendered().utf8) == Array(document.text.utf8), "document \(number)")
        }
    }

    @Test func settingANewOutputChangesOnlyThatOutput() throws {
        var generator = NotebookGenerator(seed: 7)
        var tested = 0
        for number in 0..<Self.documentCount {
            let document = generator.notebook()
            let before = try Notebook.parse(document.text)
            guard !before.cells.isEmpty else { continue }
            let index = generator.int(0...(before.cells.count - 1))
            let text = generator.outputText()
            var written = before
            written.setOutput(text, ofCell: index)
            let rendered = written.rendered()
            let after = try Notebook.parse(rendered)
            tested += 1

            #expect(after.cells.count == before.cells.count, "document \(number)")
            guard after.cells.count == before.cells.count else { continue }
            #expect(after.cells[index].output == text, "document \(number)")
            #expect(after.cells.map(\.output) == written.cells.map(\.output), "document \(number)")
            #expect(after.cells.map(\.fenceLine) == written.cells.map(\.fenceLine), "document \(number)")
            for (old, new) in zip(before.cells, after.cells) {
                #expect(new.source == old.source && new.options == old.options, "document \(number)")
                if old.index != index { #expect(new.output == old.output, "document \(number)") }
                if old.index <= index { #expect(new.fenceLine == old.fenceLine, "document \(number)") }
            }
            let delta = (after.cells.last?.fenceLine ?? 0) - (before.cells.last?.fenceLine ?? 0)
            for (old, new) in zip(before.cells, after.cells) where old.index > index {
                #expect(new.fenceLine - old.fenceLine == delta, "document \(number)")
            }
            #expect(prose(after) == prose(before), "document \(number)")
            // A missing final newline stays missing (bytes, not Characters: "\r\n" is one).
            #expect((rendered.utf8.last == 10) == (document.text.utf8.last == 10), "document \(number)")

            // Writing the same output again, before or after re-parsing, changes nothing.
            var again = after
            again.setOutput(text, ofCell: index)
            #expect(Array(again.rendered().utf8) == Array(rendered.utf8), "document \(number)")
            written.setOutput(text, ofCell: index)
            #expect(Array(written.rendered().utf8) == Array(rendered.utf8), "document \(number)")
        }
        #expect(tested >= 300)
    }
}
