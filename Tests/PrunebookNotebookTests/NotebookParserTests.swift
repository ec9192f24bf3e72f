@testable import PrunebookNotebook
import Testing

@Suite struct NotebookParserTests {
    /// Parses `text`, checks it renders back byte for byte, and returns it.
    func parsed(_ text: String) throws -> Notebook {
        let notebook = try Notebook.parse(text)
        #expect(Array(notebook.rendered().utf8) == Array(text.utf8))
        return notebook
    }

    /// The error `Notebook.parse(text)` throws, if any.
    func parseError(_ text: String) -> NotebookError? {
        do {
            _ = try Notebook.parse(text)
            return nil
        } catch {
            return error
        }
    }

    @Test func proseWithoutCellsIsKeptByteForByte() throws {
        let text = "# Title\n\nSome *prose* with `code` and trailing spaces   \n\n\n- a list\n\tindented\n"
        let notebook = try parsed(text)
        #expect(notebook.cells.isEmpty)
        #expect(notebook.segments == [.prose(text)])
    }

    @Test func emptyTextHasNoCells() throws {
        #expect(try parsed("").cells.isEmpty)
    }

    @Test func cellAndOutputAreRead() throws {
        let notebook = try parsed("# T\n\n```prb\nx = 1\nprint(x)\n```\n\n```output\n1\n```\nafter\n")
        #expect(notebook.cells.count == 1)
        let cell = notebook.cells[0]
        #expect(cell.index == 0)
        #expect(cell.number == 1)
        #expect(cell.source == "x = 1\nprint(x)\n")
        #expect(cell.output == "1\n")
        #expect(cell.options == CellOptions())
    }

    @Test func firstLineAndFenceLineCountFileLines() throws {
        let text = "intro\n\n```prb\na\n```\n\n```output\nA\n```\n\ntext\n~~~~prb id=second\nb\nc\n~~~~\n"
        let notebook = try parsed(text)
        #expect(notebook.cells.map(\.fenceLine) == [3, 12])
        #expect(notebook.cells.map(\.firstLine) == [4, 13])
        #expect(notebook.cells[1].source == "b\nc\n")
        #expect(notebook.cells[1].output == nil)
    }

    @Test func crlfLinesAreKeptAndNormalisedInCells() throws {
        let text = "title\r\n\r\n```prb\r\nx = 1\r\ny = 2\n```\r\n\r\n```output\r\nok\r\n```\r\nend"
        let notebook = try parsed(text)
        #expect(notebook.cells[0].source == "x = 1\ny = 2\n")
        #expect(notebook.cells[0].output == "ok\n")
    }

    @Test func tildeFencesMakeCellsAndOutputs() throws {
        let notebook = try parsed("~~~prb\nx\n~~~\n~~~output\n```\n~~~\n")
        #expect(notebook.cells[0].source == "x\n")
        #expect(notebook.cells[0].output == "```\n")
    }

    @Test(arguments: [4, 5, 6]) func longerFencesCloseOnlyAtLeastAsLong(length: Int) throws {
        let fence = String(repeating: "`", count: length)
        let shorter = String(repeating: "`", count: length - 1)
        let text = "\(fence)prb\na = \"\(shorter)\"\n\(shorter)\nb\n\(fence)`\n\n\(fence)output\n\(shorter)\n\(fence)\n"
        let notebook = try parsed(text)
        #expect(notebook.cells.count == 1)
        #expect(notebook.cells[0].source == "a = \"\(shorter)\"\n\(shorter)\nb\n")
        #expect(notebook.cells[0].output == "\(shorter)\n")
    }

    @Test func closingFenceMayHaveTrailingSpacesButNothingElse() throws {
        let notebook = try parsed("```prb\nx\n```  x\n```   \n")
        #expect(notebook.cells[0].source == "x\n```  x\n")
    }

    @Test func pythonFenceInProseIsProse() throws {
        let text = "```python\nprint(1)\n```\n\n```output\n1\n```\n```prb\nx\n```\n"
        let notebook = try parsed(text)
        #expect(notebook.cells.count == 1)
        #expect(notebook.cells[0].source == "x\n")
        #expect(notebook.cells[0].fenceLine == 8)
    }

    @Test func shorterFencesInsideALongerProseFenceAreNotCells() throws {
        let text = "````markdown\n```prb\nx = 1\n```\n\n```output\n1\n```\n````\n\n```prb\ny\n```\n"
        let notebook = try parsed(text)
        #expect(notebook.cells.count == 1)
        #expect(notebook.cells[0].source == "y\n")
        #expect(notebook.cells[0].fenceLine == 11)
    }

    @Test func unterminatedProseFenceRunsToTheEnd() throws {
        let notebook = try parsed("```python\nx\n```prb\ny\n")
        #expect(notebook.cells.isEmpty)
    }

    @Test func outputFenceSeparatedByProseStaysProse() throws {
        let text = "```prb\nx\n```\nsome words\n```output\n1\n```\n"
        let notebook = try parsed(text)
        #expect(notebook.cells[0].output == nil)
        guard case .prose(let prose) = notebook.segments.last else {
            Issue.record("expected prose after the cell")
            return
        }
        #expect(prose == "some words\n```output\n1\n```\n")
    }

    @Test func outputFenceAfterBlankLinesBelongsToTheCell() throws {
        let notebook = try parsed("```prb\nx\n```\n\n  \n\t\n```output\n1\n```\n")
        #expect(notebook.cells[0].output == "1\n")
        #expect(notebook.segments.count == 1)
    }

    @Test func outputFenceBeforeAnyCellIsProse() throws {
        let notebook = try parsed("```output\nstray\n```\n```prb\nx\n```\n")
        #expect(notebook.cells.count == 1)
        #expect(notebook.cells[0].output == nil)
    }

    @Test func emptyCellAndEmptyOutput() throws {
        let notebook = try parsed("```prb\n```\n```output\n```\n")
        #expect(notebook.cells[0].source == "")
        #expect(notebook.cells[0].output == "")
        #expect(notebook.cells[0].firstLine == 2)
    }

    @Test func missingFinalNewlineIsKept() throws {
        #expect(try parsed("```prb\nx\n```").cells[0].source == "x\n")
        #expect(try parsed("```prb\nx\n```\n```output\ny\n```").cells[0].output == "y\n")
        _ = try parsed("text without newline")
    }

    @Test func infoStringNeedsTheWordPrb() throws {
        let notebook = try parsed("```prbx\na\n```\n``` prb\nb\n```\n```PRB\nc\n```\n")
        #expect(notebook.cells.map(\.source) == ["b\n"])
    }

    @Test func backtickLineWithBackticksInItsInfoIsNotAFence() throws {
        let notebook = try parsed("```prb``` inline\n```prb\nx\n```\n")
        #expect(notebook.cells.map(\.source) == ["x\n"])
        #expect(notebook.cells[0].fenceLine == 2)
    }

    @Test func cellOptionsAreRead() throws {
        let text = "```prb id=foo nocheck\na\n```\n```prb skip error\nb\n```\n```prb parameters requires=data\nc\n```\n"
        let options = try parsed(text).cells.map(\.options)
        var first = CellOptions()
        first.id = "foo"
        first.nocheck = true
        var second = CellOptions()
        second.skip = true
        second.expectsError = true
        var third = CellOptions()
        third.isParameters = true
        third.requiresData = true
        #expect(options == [first, second, third])
    }

    @Test func unknownOptionIsAnErrorWithItsLine() {
        let error = parseError("text\n\n```prb nochek\nx\n```\n")
        #expect(error?.line == 3)
        #expect(error?.message.contains("unknown cell option `nochek`") == true)
        #expect(error?.message.contains("did you mean `nocheck`?") == true)
        #expect(error?.description.hasPrefix("line 3: ") == true)
    }

    @Test func unknownRequirementAndBadIdsAreErrors() {
        #expect(parseError("```prb requires=gpu\n```\n")?.message.contains("`requires=gpu`") == true)
        #expect(parseError("```prb id=\n```\n")?.message == "empty cell id: expected `id=NAME`")
        #expect(parseError("```prb id=a/b\n```\n")?.line == 1)
    }

    @Test func duplicateIdIsAnErrorAtTheSecondCell() {
        let error = parseError("```prb id=a\n```\n\n```prb id=a\n```\n")
        #expect(error?.line == 4)
        #expect(error?.message == "duplicate cell id `a`: already used by the cell at line 1")
    }

    @Test func unterminatedPrbFenceIsAnErrorAtItsOpeningLine() {
        let error = parseError("# t\n\n````prb\nx\n```\n")
        #expect(error?.line == 3)
        #expect(error?.message == "unterminated `prb` fence: expected a closing line of at least 4 backticks, got the end of the file")
    }

    @Test func unterminatedOutputFenceIsAnErrorAtItsOpeningLine() {
        #expect(parseError("```prb\nx\n```\n\n```output\n1\n")?.line == 5)
        #expect(parseError("prose\n~~~output\n1\n")?.line == 2)
    }

    @Test func segmentsAlternateProseAndCells() throws {
        let notebook = try parsed("a\n```prb\nx\n```\n\n```output\n1\n```\nb\n")
        #expect(notebook.segments.count == 3)
        #expect(notebook.segments.first == .prose("a\n"))
        #expect(notebook.segments.last == .prose("b\n"))
    }
}
