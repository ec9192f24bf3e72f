import Foundation
import PrunebookBuiltins
import PrunebookLanguage
import PrunebookTestSupport
import Testing

/// Runs every script of `Tests/Scripts` and checks its `# expect:` lines and
/// `# expect error:` prefix.
@Suite struct ScriptCorpusTests {
    @Test(arguments: ScriptCase.all())
    func scriptProducesExpectedOutput(_ script: ScriptCase) {
        if let reason = script.skipReason {
            print(reason)
            return
        }
        let outcome = script.run()
        let lines = outcome.output.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let printed = lines.last == "" ? Array(lines.dropLast()) : lines
        #expect(printed == script.expectedLines, "output of \(script.name)")
        if let expected = script.expectedError {
            #expect(outcome.error != nil, "\(script.name) should fail with: \(expected)")
            if let error = outcome.error {
                #expect(error.message.hasPrefix(expected), "\(script.name): got error `\(error.message)`")
            }
        } else if let error = outcome.error {
            Issue.record("\(script.name) failed:\n\(error.rendered())")
        }
    }

    @Test func corpusIsLargeEnough() {
        #expect(ScriptCase.all().count >= 150)
    }
}

/// The language tour in README.md runs without an error.
@Suite struct ReadmeTourTests {
    @Test func readmeTourRuns() throws {
        let readme = try String(contentsOf: TestPaths.root.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "```prb\n"))
        let end = try #require(readme.range(of: "```", range: start.upperBound..<readme.endIndex))
        let code = String(readme[start.upperBound..<end.lowerBound])
        let failure = runOnLargeStack { () -> String? in
            do {
                let context = try Interpreter.makeContext(output: { _ in })
                try ScriptRunner.run(code, name: "README.md", in: context)
                return nil
            } catch {
                return asPrunebookError(error).rendered()
            }
        }
        #expect(failure == nil, "README tour failed: \(failure ?? "")")
    }
}
