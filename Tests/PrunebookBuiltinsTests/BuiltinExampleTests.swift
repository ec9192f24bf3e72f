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

    @Test func everyBuiltinHasSummaryAndExample() {
        for builtin in Registry.builtins {
            #expect(!builtin.summary.isEmpty, "`\(builtin.name)` has no summary")
            #expect(!builtin.example.isEmpty, "`\(builtin.name)` has no example")
        }
    }
}
