import Foundation
import PrunebookLanguage
import Testing

@Suite struct DeadlineTests {
    /// A call tree without any loop (2^40 calls, depth 40) stops at the cell's deadline:
    /// calls check it as loops do (found by the interpreter fuzz target).
    @Test func recursionWithoutLoopsStopsAtTheDeadline() throws {
        let context = RunContext(output: { _ in })
        context.limits.cellSeconds = 0.2
        context.deadline = Date(timeIntervalSinceNow: 0.2)
        let started = Date()
        do {
            try context.run(SourceFile(name: "tree", text: "fn f(n) {\n  if n == 0 { return 1 }\n  return f(n - 1) + f(n - 1)\n}\nf(40)\n"))
            Issue.record("a 2^40-call tree finished")
        } catch let error as PrunebookError {
            #expect(error.kind == .limit)
            #expect(error.message == "cell exceeded its time budget of 0.2 s")
        }
        #expect(Date().timeIntervalSince(started) < 10)
    }
}
