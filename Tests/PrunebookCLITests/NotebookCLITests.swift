import Foundation
import PrunebookTestSupport
import Testing

/// End-to-end tests of `prunebook run NB.md`, `replay` and `convert`.
@Suite struct NotebookCLITests {
    static let notebook = """
        # A small notebook

        Prose stays as it is.

        ```prb id=setup
        x = tensor([1.5, 2.25])
        print(sum(x))
        ```

        ```prb
        shape(x)
        ```

        """

    func contents(_ file: TempScript) throws -> String {
        try String(contentsOf: file.folder.appendingPathComponent(file.name), encoding: .utf8)
    }

    @Test func writeStoresOutputsAndASecondRunIsByteIdentical() throws {
        let file = try TempScript(Self.notebook, name: "nb.md")
        let first = try runBinary(["run", file.name, "--write", "--quiet"], in: file.folder)
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let written = try contents(file)
        #expect(written.contains("```output\n3.75\n```"))
        #expect(written.contains("```output\n[2]\n```"))
        #expect(written.hasPrefix("# A small notebook\n\nProse stays as it is.\n"))
        let second = try runBinary(["run", file.name, "--write", "--quiet"], in: file.folder)
        #expect(second.status == 0)
        #expect(try contents(file) == written)
    }

    @Test func replayAcceptsWithinToleranceAndRejectsBeyondIt() throws {
        let file = try TempScript(Self.notebook, name: "nb.md")
        _ = try runBinary(["run", file.name, "--write", "--quiet"], in: file.folder)
        let stored = try contents(file)
        let url = file.folder.appendingPathComponent(file.name)

        #expect(try runBinary(["replay", file.name], in: file.folder).status == 0)

        try stored.replacingOccurrences(of: "3.75\n", with: "3.7501\n").write(to: url, atomically: true, encoding: .utf8)
        #expect(try runBinary(["replay", file.name], in: file.folder).status == 0, "within rtol 1e-3")

        try stored.replacingOccurrences(of: "3.75\n", with: "3.9\n").write(to: url, atomically: true, encoding: .utf8)
        let changed = try runBinary(["replay", file.name], in: file.folder)
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("cell 1 (id=setup)"), "stdout: \(changed.stdout)")
        #expect(changed.stdout.contains("-3.9") && changed.stdout.contains("+3.75"))

        try stored.replacingOccurrences(of: "[2]\n", with: "[3]\n").write(to: url, atomically: true, encoding: .utf8)
        #expect(try runBinary(["replay", file.name], in: file.folder).status == 1, "integers compare exactly")
    }

    @Test func failingCellLeavesTheFileUntouched() throws {
        let text = Self.notebook + "```prb\nundefined_name + 1\n```\n"
        let file = try TempScript(text, name: "nb.md")
        let result = try runBinary(["run", file.name, "--write", "--quiet"], in: file.folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("unknown name `undefined_name`"))
        #expect(try contents(file) == text)
    }

    @Test func keepGoingWritesEveryOutputIncludingErrors() throws {
        let text = "```prb\nnope\n```\n\n```prb\n1 + 1\n```\n"
        let file = try TempScript(text, name: "nb.md")
        let result = try runBinary(["run", file.name, "--write", "--keep-going", "--quiet"], in: file.folder)
        #expect(result.status == 1)
        let written = try contents(file)
        #expect(written.contains("```output\nerror: unknown name `nope`"))
        #expect(written.contains("```output\n2\n```"))
    }

    @Test func errorCellsAreExpectedToFailAndReplayByPrefix() throws {
        let text = "```prb error\nzeros([2, 3]) @ zeros([2, 3])\n```\n"
        let file = try TempScript(text, name: "nb.md")
        let run = try runBinary(["run", file.name, "--write", "--quiet"], in: file.folder)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(try contents(file).contains("error: shape mismatch in `@`"))
        #expect(try runBinary(["replay", file.name], in: file.folder).status == 0)
    }

    @Test func badInputsExitTwoWithTheFileUntouched() throws {
        let unterminated = try TempScript("# t\n\n```prb\nx = 1\n", name: "nb.md")
        let result = try runBinary(["run", unterminated.name, "--write"], in: unterminated.folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("nb.md:3"), "stderr: \(result.stderr)")
        #expect(try contents(unterminated) == "# t\n\n```prb\nx = 1\n")

        let folder = try TempScript("", name: "x.prb")
        try FileManager.default.createDirectory(at: folder.folder.appendingPathComponent("dir.md"), withIntermediateDirectories: true)
        #expect(try runBinary(["run", "dir.md"], in: folder.folder).status == 2)

        let binary = try TempScript("", name: "bin.md")
        try Data([0x60, 0x60, 0x60, 0xff, 0xfe, 0x0a]).write(to: binary.folder.appendingPathComponent("bin.md"))
        #expect(try runBinary(["run", "bin.md"], in: binary.folder).status == 2)

        let readOnly = try TempScript(Self.notebook, name: "ro.md")
        let url = readOnly.folder.appendingPathComponent("ro.md")
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: url.path)
        let written = try runBinary(["run", "ro.md", "--write"], in: readOnly.folder)
        #expect(written.status == 2)
        #expect(written.stdout == "", "nothing runs when the file cannot be written")
        #expect(try contents(readOnly) == Self.notebook)
        #expect(try runBinary(["replay", "missing.md"], in: readOnly.folder).status == 2)
    }

    @Test func killedRunLeavesTheNotebookByteIdentical() throws {
        let text = Self.notebook + "```prb\nfn spin(n) { s = 0; for i in range(n) { s += 1 }; return s }\nspin(100000000)\n```\n"
        let file = try TempScript(text, name: "nb.md")
        guard let binary = TestPaths.binary else {
            Issue.record("the prunebook binary was not found; run `swift build` first")
            return
        }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["run", file.name, "--write", "--quiet"]
        process.currentDirectoryURL = file.folder
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        Thread.sleep(forTimeInterval: 1.0)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try contents(file) == text)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: file.folder.path).filter { $0 != file.name }
        #expect(leftovers.isEmpty, "temporary files left: \(leftovers)")
    }

    @Test func parametersOverrideTheParametersCell() throws {
        let text = "```prb parameters\nsparsity = 0.5\n```\n\n```prb\nprint(sparsity)\n```\n"
        let file = try TempScript(text, name: "nb.md")
        let result = try runBinary(["run", file.name, "-p", "sparsity=0.75"], in: file.folder)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("```output\n0.75\n```"))
        let bad = try runBinary(["run", file.name, "-p", "sparsity=foo()"], in: file.folder)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("is not a literal"))
    }

    @Test func onlyStopsAfterTheNamedCell() throws {
        let text = "```prb id=first\nprint(1)\n```\n\n```prb\nprint(2)\n```\n"
        let file = try TempScript(text, name: "nb.md")
        let result = try runBinary(["run", file.name, "--only", "first"], in: file.folder)
        #expect(result.status == 0)
        #expect(result.stdout.contains("```output\n1\n```"))
        #expect(!result.stdout.contains("```output\n2\n```"))
        let unknown = try runBinary(["run", file.name, "--only", "nosuch"], in: file.folder)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no cell with id=nosuch (ids: first)"))
    }

    @Test func requiresDataIsSkippedWithoutTheDataFolder() throws {
        let text = "```prb requires=data\nprint(1)\n```\n"
        let file = try TempScript(text, name: "nb.md")
        let result = try runBinary(["replay", file.name], in: file.folder, environment: ["PRUNEBOOK_DATA": "/nonexistent"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("skipped: needs PRUNEBOOK_DATA"))
    }

    @Test func convertRoundTripsAScript() throws {
        let script = "#%% Setup\n# Make a tensor.\nx = tensor([1, 2])\n\n#%% Sum\nprint(sum(x))\n"
        let file = try TempScript(script, name: "s.prb")
        #expect(try runBinary(["convert", "s.prb", "s.md"], in: file.folder).status == 0)
        let notebook = try String(contentsOf: file.folder.appendingPathComponent("s.md"), encoding: .utf8)
        #expect(notebook == "## Setup\n\nMake a tensor.\n\n```prb\nx = tensor([1, 2])\n```\n\n## Sum\n\n```prb\nprint(sum(x))\n```\n")
        #expect(try runBinary(["convert", "s.md", "back.prb"], in: file.folder).status == 0)
        let back = try String(contentsOf: file.folder.appendingPathComponent("back.prb"), encoding: .utf8)
        #expect(back == script)
    }
}

/// Charts and notebooks never write colour codes when `NO_COLOR` is set.
@Suite struct NoColorTests {
    @Test func tourOutputHasNoEscapeByte() throws {
        let folder = TestPaths.root.appendingPathComponent("notebooks")
        let result = try runBinary(["run", "tour.md"], in: folder, environment: ["NO_COLOR": "1"])
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("spy [16, 32], sparsity 0.50"))
        #expect(!result.stdout.utf8.contains(0x1B) && !result.stderr.utf8.contains(0x1B))
    }
}

/// Scripts draw charts in ASCII with `--ascii` or `TERM=dumb`; notebooks ignore both.
@Suite struct AsciiChartTests {
    @Test func asciiFlagAndDumbTerminalSwitchScriptCharts() throws {
        let file = try TempScript("spy([[true, false], [false, true]])\n")
        let braille = try runBinary(["run", file.name], in: file.folder, environment: ["TERM": "xterm"])
        #expect(braille.stdout.contains("│⠑│"))
        let flag = try runBinary(["run", "--ascii", file.name], in: file.folder, environment: ["TERM": "xterm"])
        #expect(flag.stdout.contains("|#.|"))
        let dumb = try runBinary(["run", file.name], in: file.folder, environment: ["TERM": "dumb"])
        #expect(dumb.stdout.contains("|#.|"))
    }

    @Test func notebooksKeepBrailleOnADumbTerminal() throws {
        let file = try TempScript("```prb\nspy([[true, false], [false, true]])\n```\n", name: "nb.md")
        let result = try runBinary(["run", file.name], in: file.folder, environment: ["TERM": "dumb"])
        #expect(result.stdout.contains("│⠑│"))
    }
}
