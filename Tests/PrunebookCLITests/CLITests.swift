import Foundation
import PrunebookTestSupport
import Testing

/// End-to-end tests of the `prunebook` binary: exit statuses, stdout, and the exact shape of
/// rendered errors on stderr. Run `swift build` first so the binary exists.
@Suite struct CLITests {
    // MARK: - `prunebook run`

    @Test func runPrintsOutputAndExitsZero() throws {
        let file = try TempScript("x = randn([3,4], seed: 1); print(shape(x @ x.T))\n")
        let result = try runBinary(["run", file.name], in: file.folder)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "[3, 3]\n")
        #expect(result.stderr == "")
    }

    @Test func syntaxErrorIsRenderedWithLocation() throws {
        let file = try TempScript("x = 1\ny = 2 +* 3\nprint(x)\n")
        let result = try runBinary(["run", file.name], in: file.folder)
        #expect(result.status == 1)
        #expect(result.stdout == "", "a syntax error stops the cell before it runs")
        expectRendered(result.stderr, message: "expected an expression, got `*`",
                       file: file.name, line: 2, column: 8, source: "y = 2 +* 3")
    }

    @Test func unknownNameIsRenderedWithLocation() throws {
        let file = try TempScript("weight = 1\nprint(\"before\")\nprint(wieght + 1)\n")
        let result = try runBinary(["run", file.name], in: file.folder)
        #expect(result.status == 1)
        #expect(result.stdout == "before\n", "output printed before the error is kept")
        expectRendered(result.stderr, message: "unknown name `wieght` (did you mean `weight`?)",
                       file: file.name, line: 3, column: 7, source: "print(wieght + 1)")
    }

    @Test func shapeMismatchIsRenderedWithTwoDigitLineNumber() throws {
        let padding = String(repeating: "# comment\n", count: 10)
        let file = try TempScript(padding + "x = zeros([2, 3])\ny = x @ x\n")
        let result = try runBinary(["run", file.name], in: file.folder)
        #expect(result.status == 1)
        expectRendered(result.stderr,
                       message: "shape mismatch in `@`: [2, 3] @ [2, 3] (inner dimensions 3 and 2 differ)",
                       file: file.name, line: 12, column: 7, source: "y = x @ x")
    }

    @Test func wrongArgumentTypePointsAtTheArgument() throws {
        let file = try TempScript("x = zeros(\"a\")\n")
        let result = try runBinary(["run", file.name], in: file.folder)
        #expect(result.status == 1)
        let first = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).first.map(String.init) ?? ""
        #expect(first.hasPrefix("error: `zeros`: `shape`"), "first line: \(first)")
        expectRendered(result.stderr, message: nil, file: file.name, line: 1, column: 11, source: "x = zeros(\"a\")")
    }

    @Test func errorInsideFunctionShowsCallTrace() throws {
        let text = """
            x = 1
            #%% helpers
            fn inner(a) {
              return a @ a
            }
            fn outer() { return inner(zeros([2, 3])) }
            #%% use
            y = outer()

            """
        let file = try TempScript(text)
        let result = try runBinary(["run", file.name], in: file.folder)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        #expect(lines.first == "error: shape mismatch in `@`: [2, 3] @ [2, 3] (inner dimensions 3 and 2 differ)")
        #expect(lines.count > 1 && lines[1] == "  --> \(file.name), cell 2, line 4:12", "stderr:\n\(result.stderr)")
        #expect(lines.contains("  called from `outer` at cell 2, line 6:21"), "stderr:\n\(result.stderr)")
        #expect(lines.contains("  called from cell 3, line 8:5"), "stderr:\n\(result.stderr)")
    }

    @Test func missingFileExitsTwo() throws {
        let folder = FileManager.default.temporaryDirectory
        let result = try runBinary(["run", "prunebook-no-such-file-\(UUID().uuidString).prb"], in: folder)
        #expect(result.status == 2)
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("error: "), "stderr: \(result.stderr)")
    }

    @Test func runWithoutFileExitsTwo() throws {
        let result = try runBinary(["run"], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 2)
        #expect(!result.stderr.isEmpty)
    }

    // MARK: - `--version` and `help`

    @Test func versionExitsZero() throws {
        let result = try runBinary(["--version"], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0)
        let version = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!version.isEmpty)
        #expect(version.contains("."), "version: \(version)")
    }

    @Test func helpForBuiltinExitsZero() throws {
        let result = try runBinary(["help", "sum"], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("sum"))
    }

    @Test func helpForStdlibFunctionShowsItsDoc() throws {
        let result = try runBinary(["help", "prune_model"], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.hasPrefix("prune_model("), "stdout: \(result.stdout)")
    }

    @Test func helpForUnknownNameExitsTwo() throws {
        let result = try runBinary(["help", "nosuch"], in: FileManager.default.temporaryDirectory)
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: "), "stderr: \(result.stderr)")
    }

    // MARK: - The script corpus through the binary

    @Test(arguments: ScriptCase.all())
    func scriptCorpusThroughBinary(_ script: ScriptCase) throws {
        if let reason = script.skipReason {
            print(reason)
            return
        }
        let folder = script.url.deletingLastPathComponent()
        let result = try runBinary(["run", "--allow-write", FileManager.default.temporaryDirectory.path,
                                    script.url.lastPathComponent], in: folder)
        var lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        #expect(lines == script.expectedLines, "stdout of \(script.name)")
        if let expected = script.expectedError {
            #expect(result.status == 1, "\(script.name) should exit 1, stderr: \(result.stderr)")
            // Warnings (e.g. SparseGPT's damping retries) may precede the error on stderr.
            let lines = result.stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let first = lines.first { !$0.hasPrefix("warning: ") } ?? ""
            #expect(first.hasPrefix("error: " + expected), "\(script.name): got `\(first)`")
        } else {
            #expect(result.status == 0, "\(script.name) failed:\n\(result.stderr)")
        }
    }
}

// MARK: - Helpers

/// A script written to a fresh folder under the temporary directory; removed on deinit.
final class TempScript {
    let folder: URL
    let name: String

    init(_ text: String, name: String = "a.prb") throws {
        self.name = name
        folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("prunebook-cli-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try text.write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }

    deinit {
        try? FileManager.default.removeItem(at: folder)
    }
}

/// What a run of the binary produced.
struct ProcessResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

struct BinaryNotFound: Error, CustomStringConvertible {
    var description: String {
        "the prunebook binary was not found next to the test bundle; run `swift build` first"
    }
}

/// Runs the built binary with `arguments` in `folder`. Output goes to temporary files (not
/// pipes) so a large stderr cannot block the child. Kills the child after `timeout` seconds.
func runBinary(_ arguments: [String], in folder: URL, timeout: TimeInterval = 120,
               environment: [String: String] = [:]) throws -> ProcessResult {
    guard let binary = TestPaths.binary else {
        Issue.record("the prunebook binary was not found; run `swift build` first")
        throw BinaryNotFound()
    }
    let scratch = FileManager.default.temporaryDirectory
        .appendingPathComponent("prunebook-cli-out-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: scratch) }
    let outURL = scratch.appendingPathComponent("stdout")
    let errURL = scratch.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
    let outHandle = try FileHandle(forWritingTo: outURL)
    let errHandle = try FileHandle(forWritingTo: errURL)

    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    process.currentDirectoryURL = folder
    if !environment.isEmpty {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
    }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = outHandle
    process.standardError = errHandle
    try process.run()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.01)
    }
    if process.isRunning {
        process.terminate()
        process.waitUntilExit()
        Issue.record("`prunebook \(arguments.joined(separator: " "))` timed out after \(Int(timeout)) s")
    }
    process.waitUntilExit()
    try outHandle.close()
    try errHandle.close()
    let stdout = String(decoding: try Data(contentsOf: outURL), as: UTF8.self)
    let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
    return ProcessResult(status: process.terminationStatus, stdout: stdout, stderr: stderr)
}

/// Checks that `stderr` starts with the spec's rendering of an error:
/// ```
/// error: MESSAGE
///   --> FILE, line L:C
///    |
/// LL | SOURCE
///    |   ^
/// ```
/// (the gutter is as wide as the line number). `message: nil` skips the message check.
func expectRendered(_ stderr: String, message: String?, file: String, line: Int, column: Int, source: String,
                    sourceLocation: SourceLocation = #_sourceLocation) {
    let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard lines.count >= 5 else {
        Issue.record("expected at least 5 lines of error output, got:\n\(stderr)", sourceLocation: sourceLocation)
        return
    }
    let number = String(line)
    let gutter = String(repeating: " ", count: number.count + 1) + "|"
    if let message {
        #expect(lines[0] == "error: " + message, sourceLocation: sourceLocation)
    } else {
        #expect(lines[0].hasPrefix("error: "), sourceLocation: sourceLocation)
    }
    #expect(lines[1] == "  --> \(file), line \(line):\(column)", sourceLocation: sourceLocation)
    #expect(lines[2] == gutter, "stderr:\n\(stderr)", sourceLocation: sourceLocation)
    #expect(lines[3] == "\(number) | \(source)", sourceLocation: sourceLocation)
    #expect(lines[4] == gutter + " " + String(repeating: " ", count: column - 1) + "^",
            "stderr:\n\(stderr)", sourceLocation: sourceLocation)
}
