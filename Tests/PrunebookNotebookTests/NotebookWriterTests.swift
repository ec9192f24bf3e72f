@testable import PrunebookNotebook
import Testing

@Suite struct NotebookWriterTests {
    /// `text` with the output of cell `index` set to `output`, rendered.
    func written(_ text: String, _ output: String?, cell index: Int = 0) throws -> String {
        var notebook = try Notebook.parse(text)
        notebook.setOutput(output, ofCell: index)
        return notebook.rendered()
    }

    @Test func missingOutputFenceIsInsertedAfterOneBlankLine() throws {
        let text = "# T\n\n```prb\nprint(1)\n```\nafter\n"
        #expect(try written(text, "1\n") == "# T\n\n```prb\nprint(1)\n```\n\n```output\n1\n```\nafter\n")
    }

    @Test func insertedFenceUsesTheCellsLineEnding() throws {
        let text = "a\n```prb\r\nx\r\n```\r\nb\n"
        #expect(try written(text, "1\n2\n") == "a\n```prb\r\nx\r\n```\r\n\r\n```output\r\n1\r\n2\r\n```\r\nb\n")
    }

    @Test func insertedFenceAtTheEndKeepsTheMissingFinalNewline() throws {
        #expect(try written("```prb\nx\n```", "1\n") == "```prb\nx\n```\n\n```output\n1\n```")
    }

    @Test func existingOutputIsReplacedAndItsFenceKept() throws {
        let text = "```prb\nx\n```\n\n\n~~~~output\nold\nlines\n~~~~  \nafter\n"
        #expect(try written(text, "new\n") == "```prb\nx\n```\n\n\n~~~~output\nnew\n~~~~  \nafter\n")
    }

    @Test func replacedOutputUsesTheCellsLineEnding() throws {
        let text = "```prb\r\nx\r\n```\r\n```output\r\nold\r\n```\r\n"
        #expect(try written(text, "a\nb\n") == "```prb\r\nx\r\n```\r\n```output\r\na\r\nb\r\n```\r\n")
    }

    @Test func outputWithoutFinalNewlineGetsOne() throws {
        let text = "```prb\nx\n```\n"
        let result = try written(text, "7")
        #expect(result == "```prb\nx\n```\n\n```output\n7\n```\n")
        #expect(try Notebook.parse(result).cells[0].output == "7\n")
    }

    @Test func outputWithBackticksGetsALongerFence() throws {
        let output = "a ``` b\n````\n"
        let result = try written("```prb\nx\n```\n", output)
        #expect(result == "```prb\nx\n```\n\n`````output\na ``` b\n````\n`````\n")
        #expect(try Notebook.parse(result).cells[0].output == output)
    }

    @Test func existingFenceTooShortForTheNewOutputIsLengthened() throws {
        let text = "```prb\nx\n```\n```output extra\nold\n```\ntail\n"
        let result = try written(text, "```\n")
        #expect(result == "```prb\nx\n```\n````output extra\n```\n````\ntail\n")
        #expect(try Notebook.parse(result).cells[0].output == "```\n")
    }

    @Test func tildeFenceThatWouldCloseEarlyBecomesBackticks() throws {
        let text = "```prb\nx\n```\n~~~output\nold\n~~~\n"
        let result = try written(text, "~~~~\n")
        #expect(result == "```prb\nx\n```\n```output\n~~~~\n```\n")
        #expect(try Notebook.parse(result).cells[0].output == "~~~~\n")
    }

    @Test func writingTwiceIsIdentical() throws {
        let text = "intro\n\n```prb\nx\n```\n\nmid\n\n```prb id=b\ny\n```\n\n```output\nold\n```\n"
        var notebook = try Notebook.parse(text)
        notebook.setOutput("1\n", ofCell: 0)
        notebook.setOutput("two ``` ticks\n", ofCell: 1)
        let first = notebook.rendered()
        var again = try Notebook.parse(first)
        again.setOutput("1\n", ofCell: 0)
        again.setOutput("two ``` ticks\n", ofCell: 1)
        #expect(again.rendered() == first)
        notebook.setOutput("1\n", ofCell: 0)
        #expect(notebook.rendered() == first)
    }

    @Test func emptyOutputIsAnEmptyFence() throws {
        let result = try written("```prb\nx = 1\n```\n", "")
        #expect(result == "```prb\nx = 1\n```\n\n```output\n```\n")
        #expect(try Notebook.parse(result).cells[0].output == "")
        #expect(try written("```prb\nx\n```\n```output\nold\n```\n", "") == "```prb\nx\n```\n```output\n```\n")
    }

    @Test func nilOutputKeepsTheOldFence() throws {
        let text = "```prb\nx\n```\n```output\nold\n```\n```prb\ny\n```\n"
        #expect(try written(text, nil, cell: 0) == text)
        #expect(try written(text, nil, cell: 1) == text)
    }

    @Test func crlfInANewOutputIsNormalised() throws {
        var notebook = try Notebook.parse("```prb\nx\n```\n")
        notebook.setOutput("a\r\nb\r\n", ofCell: 0)
        #expect(notebook.cells[0].output == "a\nb\n")
        #expect(notebook.rendered() == "```prb\nx\n```\n\n```output\na\nb\n```\n")
    }

    @Test func laterCellsMoveDownWhenAnOutputIsInserted() throws {
        var notebook = try Notebook.parse("```prb\nx\n```\n```prb\ny\n```\n")
        #expect(notebook.cells.map(\.fenceLine) == [1, 4])
        notebook.setOutput("1\n2\n", ofCell: 0)
        #expect(notebook.cells.map(\.fenceLine) == [1, 9])
        #expect(try Notebook.parse(notebook.rendered()).cells.map(\.fenceLine) == [1, 9])
    }
}
