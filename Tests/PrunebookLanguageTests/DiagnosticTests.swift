@testable import PrunebookLanguage
import Testing

@Suite struct DiagnosticTests {
    @Test func renderedErrorHasTheSpecShape() {
        let source = SourceFile(name: "notebooks/01-wanda.md", text: "w = 1\ny = x @ w\n", cell: 3, lineOffset: 40)
        var error = PrunebookError(.shape, "shape mismatch in `@`: [4, 8] @ [4, 8] (inner dimensions 8 and 4 differ)",
                                   at: SourceLocation(source: source, offset: 12))
        let caller = SourceFile(name: "notebooks/01-wanda.md", text: "\n\n\n\n    reconstruct(x, w)\n", cell: 2, lineOffset: 26)
        error.trace = [TraceEntry(.call(enclosingFunction: "reconstruct"), at: SourceLocation(source: caller, offset: 8))]
        let expected = """
        error: shape mismatch in `@`: [4, 8] @ [4, 8] (inner dimensions 8 and 4 differ)
          --> notebooks/01-wanda.md, cell 3, line 42:7
           |
        42 | y = x @ w
           |       ^
          called from `reconstruct` at cell 2, line 31:5

        """
        #expect(error.rendered() == expected)
    }

    @Test func columnsCountCharactersNotBytes() {
        let source = SourceFile(name: "t", text: "s = \"é\" + x")
        let location = SourceLocation(source: source, offset: Array("s = \"é\" + ".utf8).count)
        #expect(location.column == 11)
    }

    @Test func didYouMeanPicksTheClosestName() {
        #expect(closestName(to: "prnt", among: ["print", "sum", "sort"]) == "print")
        #expect(closestName(to: "zzzzzz", among: ["print"]) == nil)
    }
}
