import Foundation
import PrunebookTestSupport
import Testing

/// The REPL with stdin a pipe (`echo … | prunebook`): no prompts, inputs accumulated while
/// incomplete, exit status 1 when any input failed. Run `swift build` first so the binary exists.
@Suite struct PipedREPLTests {
    @Test func pipedExpressionPrintsOnlyItsValue() throws {
        let result = try runPiped("x = 2; x ** 10\n")
        #expect(result.stdout == "1024\n")
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }

    @Test func multiLineFunctionDefinitionIsOneInput() throws {
        let result = try runPiped("""
            fn double(a) {
              b = a * 2
              return b
            }
            double(21)

            """)
        #expect(result.stdout == "42\n", "stderr: \(result.stderr)")
        #expect(result.stderr == "")
        #expect(result.status == 0)
    }

    @Test func inputsAfterAnErrorStillRunAndStatusIsOne() throws {
        let result = try runPiped("""
            print("before")
            nowhere_defined + 1
            print("after")

            """)
        #expect(result.stdout == "before\nafter\n")
        #expect(result.stderr.contains("unknown name `nowhere_defined`"), "stderr: \(result.stderr)")
        #expect(result.status == 1)
    }

    @Test func incompleteInputAtEndOfInputIsReported() throws {
        let result = try runPiped("print(1)\nx = [1, 2,\n")
        #expect(result.stdout == "1\n")
        #expect(result.stderr.hasPrefix("error: "), "stderr: \(result.stderr)")
        #expect(result.status == 1)
    }

    @Test func lastLineWithoutNewlineRuns() throws {
        let result = try runPiped("\n\ny = 5\ny + 1")
        #expect(result.stdout == "6\n", "stderr: \(result.stderr)")
        #expect(result.status == 0)
    }
}

/// What a run of the binary produced.
private struct PipedResult {
    let status: Int32
    let stdout: String
    let stderr: String
}

/// Runs `prunebook` with no arguments in a fresh temporary folder, `input` on its stdin.
private func runPiped(_ input: String, timeout: TimeInterval = 60) throws -> PipedResult {
    guard let binary = TestPaths.binary else {
        Issue.record("the prunebook binary was not found; run `swift build` first")
        return PipedResult(status: -1, stdout: "", stderr: "")
    }
    let folder = FileManager.default.temporaryDirectory
        .appendingPathComponent("prunebook-piped-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let outURL = folder.appendingPathComponent("stdout")
    let errURL = folder.appendingPathComponent("stderr")
    _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
    _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)

    let process = Process()
    process.executableURL = binary
    process.arguments = []
    process.currentDirectoryURL = folder
    process.environment = ProcessInfo.processInfo.environment.merging(
        ["HOME": folder.path, "XDG_STATE_HOME": folder.path, "NO_COLOR": "1"]) { _, new in new }
    // A pipe, as the brief says: `echo … | prunebook`.
    let pipe = Pipe()
    process.standardInput = pipe
    process.standardOutput = try FileHandle(forWritingTo: outURL)
    process.standardError = try FileHandle(forWritingTo: errURL)
    try process.run()
    try pipe.fileHandleForWriting.write(contentsOf: Data(input.utf8))
    try pipe.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline {
        Thread.sleep(forTimeInterval: 0.01)
    }
    if process.isRunning {
        process.terminate()
        Issue.record("prunebook did not finish within \(timeout) s")
    }
    process.waitUntilExit()
    return PipedResult(status: process.terminationStatus,
                       stdout: (try? String(contentsOf: outURL, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOf: errURL, encoding: .utf8)) ?? "")
}
