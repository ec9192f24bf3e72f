@testable import PrunebookLanguage
import Testing

@Suite struct GlobalsTests {
    /// Compiling a function reserves global slots for its locals (their fallback reads); the
    /// names still list in the order they were first bound, and rebinding after `:reset`'s
    /// removal moves a name last.
    @Test func globalNamesFollowBindingOrderNotSlotOrder() throws {
        let context = RunContext(output: { _ in })
        _ = try context.run(SourceFile(name: "lib", text: "fn f() {\n  for late in [1] { x = late }\n  return 1\n}\n"))
        _ = try context.run(SourceFile(name: "cell", text: "early = 1\nlate = 2\n"))
        #expect(context.globalNames == ["f", "early", "late"])
        context.removeGlobals(except: ["f", "late"])
        _ = try context.run(SourceFile(name: "cell", text: "early = 3\n"))
        #expect(context.globalNames == ["f", "late", "early"])
    }
}
