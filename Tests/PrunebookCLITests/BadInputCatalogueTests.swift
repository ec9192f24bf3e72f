import Foundation
import PrunebookTestSupport
import Testing

/// One case of the bad-input catalogue (`Tests/BadInputs/<category>/<name>.<ext>`): a script
/// (`.prb`) or notebook (`.md`) that `prunebook run` gets, or a command line (`.args`, one
/// line of arguments), next to `<name>.expect` holding `exit: N` and `stderr: PREFIX` (the
/// first stderr line that is not a warning must start with it).
struct BadInputCase: CustomTestStringConvertible, Sendable {
    let input: URL
    let status: Int32
    let stderrPrefix: String

    var testDescription: String {
        input.deletingLastPathComponent().lastPathComponent + "/" + input.lastPathComponent
    }

    /// Every case, sorted by path.
    static func all() -> [BadInputCase] {
        let root = TestPaths.root.appendingPathComponent("Tests/BadInputs")
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var cases: [BadInputCase] = []
        for case let url as URL in walker where url.pathExtension == "expect" {
            let stem = url.deletingPathExtension()
            guard let input = ["prb", "md", "args"].map({ stem.appendingPathExtension($0) })
                .first(where: { FileManager.default.fileExists(atPath: $0.path) }),
                let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            var status: Int32 = -1, prefix = ""
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix("exit: ") { status = Int32(line.dropFirst(6)) ?? -1 }
                if line.hasPrefix("stderr: ") { prefix = String(line.dropFirst(8)) }
            }
            cases.append(BadInputCase(input: input, status: status, stderrPrefix: prefix))
        }
        return cases.sorted { $0.input.path < $1.input.path }
    }

    /// The command line: the `.args` file's words, or `run FILE`.
    func arguments() throws -> [String] {
        guard input.pathExtension == "args" else { return ["run", input.lastPathComponent] }
        return try String(contentsOf: input, encoding: .utf8).split(whereSeparator: \.isWhitespace).map(String.init)
    }
}

/// The bad-input catalogue through the binary: every case ends with its exit status and a
/// clear first error line, never a crash, a hang or a stack overflow.
@Suite struct BadInputCatalogueTests {
    @Test func theCatalogueHoldsAtLeastSixtyCases() {
        #expect(BadInputCase.all().count >= 60)
    }

    @Test(arguments: BadInputCase.all())
    func caseEndsWithItsStatusAndMessage(_ bad: BadInputCase) throws {
        let result = try runBinary(try bad.arguments(), in: bad.input.deletingLastPathComponent(), timeout: 60)
        #expect(result.status == bad.status, "\(bad.testDescription): exit \(result.status), stderr: \(result.stderr.prefix(400))")
        let first = result.stderr.split(separator: "\n", omittingEmptySubsequences: false)
            .first { !$0.hasPrefix("warning: ") }.map(String.init) ?? ""
        #expect(first.hasPrefix(bad.stderrPrefix), "\(bad.testDescription): got `\(first)`")
        #expect(!result.stderr.contains("Fatal error"), "\(bad.testDescription) crashed: \(result.stderr.prefix(400))")
    }

    /// A notebook with a 50 MB cell runs (or fails cleanly) without crashing or hanging.
    @Test func aFiftyMegabyteCellIsHandled() throws {
        let folder = try TempScript("", name: "unused.prb")
        let line = "x = \"" + String(repeating: "a", count: 998) + "\"\n"
        let cell = String(repeating: line, count: 50 * 1024 * 1024 / line.utf8.count)
        try ("# Big\n\n```prb\n" + cell + "len(x)\n```\n").write(to: folder.folder.appendingPathComponent("big.md"),
                                                                   atomically: true, encoding: .utf8)
        let result = try runBinary(["run", "big.md", "--quiet"], in: folder.folder, timeout: 120)
        #expect(result.status == 0, "stderr: \(result.stderr.prefix(400))")
    }
}
