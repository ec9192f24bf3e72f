import Foundation
import PrunebookTestSupport
import Testing

/// `run --write` replaces the notebook atomically (temporary file, fsync, rename): killing
/// the process with SIGKILL at any moment leaves either the old file or the complete new
/// one, never a mix.
@Suite struct KillDuringWriteTests {
    /// Cells that take a moment each, so kills land before, during and after the write.
    static let notebook = """
    # Kill me

    ```prb
    s = 0
    for i in range(20000) { s = s + i }
    s
    ```

    ```prb
    t = randn([200, 200], seed: 1)
    sum(t @ t > 0)
    ```

    ```prb
    print(join(map(fn(i) => str(i), range(2000)), ","))
    ```

    """

    @Test func sigkillNeverLeavesAPartialNotebook() throws {
        guard let binary = TestPaths.binary else {
            Issue.record("the prunebook binary was not found; run `swift build` first")
            return
        }
        let folder = try TempScript(Self.notebook, name: "nb.md")
        let url = folder.folder.appendingPathComponent("nb.md")
        // The complete written notebook, from one uninterrupted run.
        let full = try runBinary(["run", "nb.md", "--write", "--quiet"], in: folder.folder)
        #expect(full.status == 0, "stderr: \(full.stderr)")
        let written = try String(contentsOf: url, encoding: .utf8)
        #expect(written != Self.notebook)
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        var untouched = 0
        for attempt in 0..<50 {
            try Self.notebook.write(to: url, atomically: false, encoding: .utf8)
            let process = Process()
            process.executableURL = binary
            process.arguments = ["run", "nb.md", "--write", "--quiet"]
            process.currentDirectoryURL = folder.folder
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            seed = seed &* 6364136223846793005 &+ 1442695040888963407
            Thread.sleep(forTimeInterval: Double(seed >> 40) / Double(1 << 24) * 0.6)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let after = try String(contentsOf: url, encoding: .utf8)
            #expect(after == Self.notebook || after == written, "attempt \(attempt): a partial notebook of \(after.utf8.count) bytes")
            if after == Self.notebook { untouched += 1 }
            // A kill between creating and renaming the temporary file leaves that file; the notebook is whole.
            for name in try FileManager.default.contentsOfDirectory(atPath: folder.folder.path) where name != "nb.md" {
                try? FileManager.default.removeItem(at: folder.folder.appendingPathComponent(name))
            }
        }
        // Some kills must land before the write completes, or the test proves nothing.
        #expect(untouched > 0)
    }
}
