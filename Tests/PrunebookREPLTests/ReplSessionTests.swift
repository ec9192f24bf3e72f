import Foundation
import PrunebookLanguage
import PrunebookNotebook
import PrunebookREPL
import Testing

/// A session whose output and errors are collected, each input run on a large stack as
/// `ReplMain` does.
final class SessionHarness {
    var output = ""
    var errors = ""
    let interrupt = InterruptFlag()
    let folder: URL
    private(set) var session: ReplSession?

    init(folder: URL = FileManager.default.temporaryDirectory) throws {
        self.folder = folder
        session = try ReplSession(output: { [unowned self] in self.output += $0 },
                                  errors: { [unowned self] in self.errors += $0 },
                                  colour: false, interrupt: interrupt, baseDirectory: folder)
    }

    /// Runs `input`, returning what it printed to `output` (errors accumulate in `errors`).
    @discardableResult
    func run(_ input: String) throws -> String {
        let session = try #require(self.session)
        let before = output.count
        let action = runOnLargeStack { session.handle(input) }
        #expect(action == .proceed)
        return String(output.dropFirst(before))
    }

    /// Clears the collected errors and returns them.
    func takeErrors() -> String {
        defer { errors = "" }
        return errors
    }
}

/// A new empty temporary folder.
func makeTemporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("prb-repl-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

@Suite struct ReplSessionTests {
    @Test func expressionIsDisplayed() throws {
        let repl = try SessionHarness()
        #expect(try repl.run("1 + 1") == "2\n")
        #expect(repl.errors.isEmpty)
    }

    @Test func multiStatementInputDisplaysItsLastExpression() throws {
        let repl = try SessionHarness()
        #expect(try repl.run("x = 2; x ** 10") == "1024\n")
        #expect(try repl.run("fn sq(a) {\n  return a * a\n}\nprint(sq(3))\nsq(4)") == "9\n16\n")
    }

    @Test func errorKeepsTheSessionAndItsVariables() throws {
        let repl = try SessionHarness()
        try repl.run("x = 5")
        #expect(try repl.run("x + nope") == "")
        let errors = repl.takeErrors()
        #expect(errors.hasPrefix("error: unknown name `nope`"))
        #expect(errors.contains("<repl>, cell 2, line 1:5"))
        #expect(try repl.run("x * 2") == "10\n")
    }

    @Test func colourWrapsErrorsInRed() throws {
        var errors = ""
        let session = try ReplSession(output: { _ in }, errors: { errors += $0 }, colour: true,
                                      interrupt: InterruptFlag(), baseDirectory: FileManager.default.temporaryDirectory)
        _ = runOnLargeStack { session.handle("nope") }
        #expect(errors.hasPrefix("\u{1B}[31merror: unknown name `nope`"))
        #expect(errors.hasSuffix("\u{1B}[0m\n"))
    }

    @Test func varsListsUserVariablesInDefinitionOrderAligned() throws {
        let repl = try SessionHarness()
        try repl.run("weights = zeros([8, 16]); name = \"abc\"; n = 3; r = {a: 1, b: [1, 2]}")
        let table = try repl.run(":vars")
        #expect(table == """
            name     type        shape       size
            weights  tensor f32  [8, 16]     512 B
            name     string      [3]         3 B
            n        number      -           8 B
            r        record      {2 fields}  24 B

            """)
        #expect(!table.contains("sum"))
    }

    @Test func varsShowsARedefinedBuiltinAndSaysWhenThereAreNone() throws {
        let repl = try SessionHarness()
        #expect(try repl.run(":vars") == "no variables defined yet\n")
        try repl.run("sum = 1")
        #expect(try repl.run(":vars").contains("sum   number  -      8 B"))
    }

    @Test func resetClearsVariablesAndRestartsTheRandomStream() throws {
        let repl = try SessionHarness()
        let first = try repl.run("rand([3])")
        try repl.run("x = 1")
        #expect(try repl.run(":reset").hasPrefix("session reset"))
        #expect(try repl.run("x") == "")
        #expect(repl.takeErrors().hasPrefix("error: unknown name `x`"))
        #expect(try repl.run("rand([3])") == first)
        #expect(try repl.run("sum([1, 2])") == "3\n")
    }

    @Test func questionMarkPrintsHelp() throws {
        let repl = try SessionHarness()
        let help = try repl.run("?sum")
        #expect(help.hasPrefix("sum("))
        #expect(help.contains("Example:"))
        #expect(try repl.run("?") .hasPrefix("Builtins by category"))
        try repl.run("?smu")
        #expect(repl.takeErrors().contains("did you mean `sum`?"))
    }

    @Test func helpListsTheMetaCommands() throws {
        let repl = try SessionHarness()
        let help = try repl.run(":help")
        for command in [":help", ":time EXPR", ":vars", ":reset", ":save FILE.md", ":note TEXT", ":load FILE", ":quit", "?name"] {
            #expect(help.contains(command), "missing \(command)")
        }
    }

    @Test func unknownMetaCommandIsAnErrorWithASuggestion() throws {
        let repl = try SessionHarness()
        #expect(try repl.run(":sav x.md") == "")
        #expect(repl.takeErrors() == "error: unknown command `:sav` (did you mean `:save`?); `:help` lists the commands\n")
        try repl.run(":vars now")
        #expect(repl.takeErrors() == "error: `:vars` takes no argument, got `now`\n")
        try repl.run(":time")
        #expect(repl.takeErrors() == "error: `:time` needs an expression: `:time EXPR`\n")
    }

    @Test func metaCommandsAreCompleteInputsAtOnce() {
        #expect(ReplSession.isCompleteInput(":note Ends with a dot."))
        #expect(ReplSession.isCompleteInput("?sum"))
        #expect(!ReplSession.isCompleteInput(":time sum([1,"))
        #expect(ReplSession.isCompleteInput(":time sum([1,\n 2])"))
        #expect(!ReplSession.isCompleteInput("x = (1 +"))
        #expect(ReplSession.isCompleteInput("x = 1"))
    }

    @Test func quitEndsTheSession() throws {
        let session = try ReplSession(output: { _ in }, errors: { _ in }, colour: false,
                                      interrupt: InterruptFlag(), baseDirectory: FileManager.default.temporaryDirectory)
        #expect(session.handle(":quit") == .quit)
        #expect(session.handle("  ") == .proceed)
    }

    @Test func savedSessionHasThreeCellsWithOutputsAndReplays() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let repl = try SessionHarness(folder: folder)
        try repl.run("x = 2; x ** 10")
        try repl.run("print(\"hi\")\nx + 1")
        try repl.run("rand([2])")
        try repl.run("while true { y = 1 }; 1", interruptingAfter: 0.1)
        #expect(try repl.run(":save s.md") == "saved 3 cells to s.md\n")
        let url = folder.appendingPathComponent("s.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.hasPrefix("# Prunebook session\n\n```prb\nx = 2; x ** 10\n```\n\n```output\n1024\n```\n"))
        let notebook = try Notebook.parse(text)
        #expect(notebook.cells.count == 3)
        #expect(notebook.cells.map(\.output) == ["1024\n", "hi\n3\n", try SessionHarness().run("rand([2])")])
        try expectReplays(notebook, at: url)
    }

    @Test func noteBecomesProseAndErrorsBecomeErrorCells() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let repl = try SessionHarness(folder: folder)
        try repl.run(":note First we define `x`.")
        try repl.run("x = 3")
        try repl.run("print(\"before\")\nerror(\"boom\")")
        try repl.run(":note ```not a fence")
        try repl.run("x")
        try repl.run(":save notes")
        let url = folder.appendingPathComponent("notes.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text == """
            # Prunebook session

            First we define `x`.

            ```prb
            x = 3
            ```

            ```prb error
            print("before")
            error("boom")
            ```

            ```output
            before
            error: boom
            ```

            \\```not a fence

            ```prb
            x
            ```

            ```output
            3
            ```

            """)
        let notebook = try Notebook.parse(text)
        #expect(notebook.cells.map(\.options.expectsError) == [false, true, false])
        try expectReplays(notebook, at: url)
    }

    @Test func resetStartsTheSavedRecordAfresh() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let repl = try SessionHarness(folder: folder)
        try repl.run("a = 1")
        try repl.run(":reset")
        try repl.run("b = 2")
        try repl.run(":save r.md")
        let notebook = try Notebook.parse(try String(contentsOf: folder.appendingPathComponent("r.md"), encoding: .utf8))
        #expect(notebook.cells.map(\.source) == ["b = 2\n"])
    }

    @Test func saveRejectsOtherExtensions() throws {
        let repl = try SessionHarness()
        try repl.run(":save notes.txt")
        #expect(repl.takeErrors().contains("expected a file name ending in `.md`"))
    }

    @Test func timePrintsAMarkedMedianDuration() throws {
        let repl = try SessionHarness()
        let line = try repl.run(":time 1 + 1")
        #expect(line.hasPrefix("~"))
        #expect(line.hasSuffix(" runs)\n"))
        #expect(line.contains("(median of "))
        #expect(try repl.run(":time print(1)").hasPrefix("~"))
        try repl.run(":time nope + 1")
        #expect(repl.takeErrors().hasPrefix("error: unknown name `nope`"))
        try repl.run(":time 1 +* 2")
        #expect(repl.takeErrors().contains("<repl>, cell 4, line 1:"))
    }

    @Test func loadRunsAScriptAndRecordsItsCode() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let script = "#%% setup\nw = ones([2, 2])\nk = 7\n#%% show\nprint(\"loaded\")\nk * 2\n"
        try script.write(to: folder.appendingPathComponent("setup.prb"), atomically: true, encoding: .utf8)
        let repl = try SessionHarness(folder: folder)
        #expect(try repl.run(":load setup.prb") == "loaded\n14\n")
        #expect(try repl.run("k + sum(w)") == "11\n")
        try repl.run(":save loaded.md")
        let url = folder.appendingPathComponent("loaded.md")
        let notebook = try Notebook.parse(try String(contentsOf: url, encoding: .utf8))
        #expect(notebook.cells.count == 3)
        #expect(notebook.cells[0].source.contains("k = 7"))
        try FileManager.default.removeItem(at: folder.appendingPathComponent("setup.prb"))
        try expectReplays(notebook, at: url)
    }

    @Test func loadRunsANotebooksCodeCells() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let text = "# A notebook\n\n```prb\nm = 4\n```\n\n```prb skip\nm = 100\n```\n\n```prb error\nnope\n```\n\n```prb\nm + 1\n```\n"
        try text.write(to: folder.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
        let repl = try SessionHarness(folder: folder)
        #expect(try repl.run(":load nb.md") == "5\n")
        #expect(repl.takeErrors().hasPrefix("error: unknown name `nope`\n  --> nb.md, cell 3, line 12:1"))
        #expect(try repl.run("m") == "4\n")
        try repl.run(":load missing.prb")
        #expect(repl.takeErrors().hasPrefix("error: cannot read `missing.prb`: no such file"))
        try repl.run(":load data.csv")
        #expect(repl.takeErrors().contains("runs a `.prb` script or an `.md` notebook"))
    }

    @Test func interruptKeepsEveryVariable() throws {
        let repl = try SessionHarness()
        try repl.run("kept = 42")
        #expect(try repl.run("while true { x = 1 }", interruptingAfter: 0.2) == "")
        #expect(repl.takeErrors() == "interrupted\n")
        #expect(try repl.run("kept") == "42\n")
        #expect(try repl.run("x") == "1\n")
    }

    /// Replays `notebook` stored at `url` in process and expects no difference.
    private func expectReplays(_ notebook: Notebook, at url: URL) throws {
        let run = NotebookRunner.run(notebook, at: url, options: NotebookRunOptions())
        let differences = NotebookReplay.differences(notebook, run, rtol: 1e-3, atol: 1e-6)
        for difference in differences {
            Issue.record("\(difference.summary)\n\(difference.diff)")
        }
        #expect(differences.isEmpty)
    }
}

extension SessionHarness {
    /// Runs `input` and requests an interrupt from another thread after `seconds`.
    @discardableResult
    func run(_ input: String, interruptingAfter seconds: Double) throws -> String {
        let flag = interrupt
        let thread = Thread {
            Thread.sleep(forTimeInterval: seconds)
            flag.request()
        }
        thread.start()
        return try run(input)
    }
}
