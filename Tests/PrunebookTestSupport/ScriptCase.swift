import Foundation
import PrunebookBuiltins
import PrunebookLanguage

/// One script of `Tests/Scripts`: its expected output lines (`# expect: …`) and, when it
/// must fail, the expected error message prefix (`# expect error: …`).
public struct ScriptCase: Sendable, CustomStringConvertible {
    /// Path relative to `Tests/Scripts` (the test's name).
    public let name: String
    /// The script file.
    public let url: URL
    /// Expected stdout lines in order.
    public let expectedLines: [String]
    /// Expected error message prefix, when the script must fail.
    public let expectedError: String?
    /// True for scripts marked `# requires: data`: they read `PRUNEBOOK_DATA`.
    public let requiresData: Bool

    /// Why the script cannot run here (it needs the data folder and it is absent), else nil.
    public var skipReason: String? {
        guard requiresData, !TestPaths.dataAvailable else { return nil }
        return "skipped: \(name) needs PRUNEBOOK_DATA with stories260K.bin"
    }

    public var description: String { name }

    /// Every `.prb` file under `Tests/Scripts`, sorted by path.
    public static func all() -> [ScriptCase] {
        let root = TestPaths.scripts
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var cases: [ScriptCase] = []
        for case let url as URL in enumerator where url.pathExtension == "prb" {
            let name = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            guard let text = try? String(contentsOf: url, encoding: .utf8) else { continue }
            cases.append(ScriptCase(name: name, url: url, text: text))
        }
        return cases.sorted { $0.name < $1.name }
    }

    init(name: String, url: URL, text: String) {
        self.name = name
        self.url = url
        var lines: [String] = []
        var error: String?
        var requiresData = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("# requires: data") { requiresData = true }
            guard let range = line.range(of: "# expect") else { continue }
            let rest = line[range.upperBound...]
            if rest.hasPrefix(" error: ") {
                error = String(rest.dropFirst(" error: ".count))
            } else if rest.hasPrefix(": ") {
                lines.append(String(rest.dropFirst(2)))
            } else if rest == ":" {
                lines.append("")
            }
        }
        self.expectedLines = lines
        self.expectedError = error
        self.requiresData = requiresData
    }

    /// The outcome of running a script in process.
    public struct Outcome {
        /// Everything printed.
        public let output: String
        /// The error that stopped it, if any.
        public let error: PrunebookError?
    }

    /// Runs the script in a fresh context (seed 0, paths relative to its folder), allowed to
    /// write in its folder and the temporary directory, as `prunebook run --allow-write $TMPDIR`.
    public func run() -> Outcome {
        let text = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        let relativeName = "Tests/Scripts/" + name
        return runOnLargeStack {
            var output = ""
            do {
                let context = try Interpreter.makeContext(output: { output += $0 },
                                                          baseDirectory: url.deletingLastPathComponent(),
                                                          writableFolders: [FileManager.default.temporaryDirectory])
                try ScriptRunner.run(text, name: relativeName, path: url.path, in: context)
                return Outcome(output: output, error: nil)
            } catch {
                return Outcome(output: output, error: asPrunebookError(error))
            }
        }
    }
}
