import Foundation
import Testing

/// A notebook writes only inside its folder unless `--allow-write` names another folder,
/// whatever the current directory is.
@Suite struct WriteConfinementCLITests {
    static let notebook = "# escape\n\n```prb\nsave(\"../out/x.npy\", [1, 2])\n```\n"

    /// A folder `nb/` holding the notebook next to an empty `out/`, under one temporary root.
    private func layout() throws -> (root: TempScript, notebook: URL, out: URL) {
        let root = try TempScript("", name: "unused.prb")
        let nb = root.folder.appendingPathComponent("nb"), out = root.folder.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: nb, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Self.notebook.write(to: nb.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
        return (root, nb.appendingPathComponent("nb.md"), out)
    }

    @Test func aNotebookCannotWriteOutsideItsFolder() throws {
        let (root, notebook, out) = try layout()
        let result = try runBinary(["run", notebook.path, "--quiet"], in: root.folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot write ../out/x.npy"), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("--allow-write"), "stderr: \(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("x.npy").path))
    }

    @Test func allowWritePermitsTheNamedFolder() throws {
        let (root, notebook, out) = try layout()
        let result = try runBinary(["run", notebook.path, "--quiet", "--allow-write", out.path], in: root.folder)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("x.npy").path))
    }

    @Test func allowWriteNeedsAnExistingFolder() throws {
        let (root, notebook, _) = try layout()
        let result = try runBinary(["run", notebook.path, "--allow-write", "no-such-folder"], in: root.folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--allow-write no-such-folder: no such folder"), "stderr: \(result.stderr)")
    }
}
