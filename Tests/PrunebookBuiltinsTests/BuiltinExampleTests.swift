import Foundation
import PrunebookBuiltins
import PrunebookLanguage
import Testing

/// Every builtin's doc example runs and prints exactly its documented output.
@Suite struct BuiltinExampleTests {
    static let names = Registry.builtins.map(\.name)

    @Test(arguments: names)
    func exampleProducesDocumentedOutput(_ name: String) throws {
        let builtin = try #require(Registry.builtin(named: name))
        // `data`'s own example looks up a missing file on purpose.
        if name != "data", !Self.dataAvailable(for: builtin.example) {
            print("skipped: the example of `\(name)` needs PRUNEBOOK_DATA")
            return
        }
        let output = runOnLargeStack { () -> Result<String, PrunebookError> in
            var output = ""
            do {
                let context = try Interpreter.makeContext(output: { output += $0 },
                                                          baseDirectory: FileManager.default.temporaryDirectory)
                try Interpreter.runCell(SourceFile(name: "example of \(name)", text: builtin.example), in: context)
                return .success(output)
            } catch {
                return .failure(asPrunebookError(error))
            }
        }
        switch output {
        case .success(let text):
            #expect(text == builtin.exampleOutput, "example of `\(name)`")
        case .failure(let error):
            Issue.record("example of `\(name)` failed:\n\(error.rendered())")
        }
    }

    /// True when every `data("…")` file the example names is in `PRUNEBOOK_DATA`.
    static func dataAvailable(for example: String) -> Bool {
        guard example.contains("data(\"") else { return true }
        guard let folder = ProcessInfo.processInfo.environment["PRUNEBOOK_DATA"], !folder.isEmpty else { return false }
        let names = example.components(separatedBy: "data(\"").dropFirst().compactMap { $0.components(separatedBy: "\"").first }
        return names.allSatisfy { FileManager.default.fileExists(atPath: folder + "/" + $0) }
    }

    @Test func everyBuiltinHasSummaryAndExample() {
        for builtin in Registry.builtins {
            #expect(!builtin.summary.isEmpty, "`\(builtin.name)` has no summary")
            #expect(!builtin.example.isEmpty, "`\(builtin.name)` has no example")
        }
    }
}
