import Foundation
import PrunebookNotebook
import PrunebookTestSupport
import Testing

/// Every notebook in `notebooks/` replays: its stored outputs still hold.
@Suite struct NotebookReplayTests {
    static func notebookNames() -> [String] {
        let folder = TestPaths.root.appendingPathComponent("notebooks")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".md") }.sorted()
    }

    @Test func thereAreNotebooksToReplay() {
        #expect(Self.notebookNames().contains("tour.md"))
    }

    @Test(arguments: notebookNames())
    func notebookReplays(_ name: String) throws {
        let url = TestPaths.root.appendingPathComponent("notebooks").appendingPathComponent(name)
        let loaded = try NotebookFile.load(url, display: "notebooks/\(name)")
        let run = NotebookRunner.run(loaded.notebook, at: url, options: NotebookRunOptions())
        if run.skippedForMissingData {
            print("skipped: needs PRUNEBOOK_DATA (notebooks/\(name))")
            return
        }
        let differences = NotebookReplay.differences(loaded.notebook, run, rtol: 1e-3, atol: 1e-6)
        for difference in differences {
            Issue.record("notebooks/\(name): \(difference.summary)\n\(difference.diff)")
        }
    }

    @Test func runnerCapturesOutputsPerCellAndStopsAtTheFirstFailure() throws {
        let text = "```prb\nprint(1)\n2\n```\n\n```prb\nnope\n```\n\n```prb\nprint(3)\n```\n"
        let notebook = try Notebook.parse(text)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("runner-test.md")
        let run = NotebookRunner.run(notebook, at: url, options: NotebookRunOptions())
        #expect(run.cells.map(\.status) == [.ok, .failed, .notRun])
        #expect(run.cells[0].output == "1\n2\n")
        #expect(run.cells[1].output.hasPrefix("error: unknown name `nope`\n  --> runner-test.md, cell 2, line 7:1\n"))
    }

    @Test func eachRunStartsFromSeedZero() throws {
        let text = "```prb\nrand([2])\n```\n"
        let notebook = try Notebook.parse(text)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("seed-test.md")
        let first = NotebookRunner.run(notebook, at: url, options: NotebookRunOptions())
        let second = NotebookRunner.run(notebook, at: url, options: NotebookRunOptions())
        #expect(first.cells[0].output == second.cells[0].output)
    }
}
