@testable import PrunebookLanguage
import Testing

@Suite struct ArgumentsTests {
    /// `f(head, rest...: number, scale: number = 2)`: `scale` is keyword-only.
    let builtin = Builtin(
        name: "f", category: "test",
        parameters: [.required("head", .any), .variadic("rest", .number), .optional("scale", .number, .number(2))],
        returns: "nil", summary: "test", example: "", output: ""
    ) { _, _ in .nilValue }

    @Test func variadicCollectsTheRemainingPositionalArguments() throws {
        let args = try Arguments(binding: [.string("a"), .number(1), .number(3)], named: [], to: builtin)
        guard case .list(let rest) = args["rest"] else { Issue.record("rest is not a list"); return }
        #expect(rest.count == 2)
        #expect(try args.number("scale") == 2)
    }

    @Test func parametersAfterAVariadicOneAreKeywordOnly() throws {
        let args = try Arguments(binding: [.string("a"), .number(1)], named: [("scale", .number(5))], to: builtin)
        guard case .list(let rest) = args["rest"] else { Issue.record("rest is not a list"); return }
        #expect(rest.count == 1)
        #expect(try args.number("scale") == 5)
        let none = try Arguments(binding: [.string("a")], named: [], to: builtin)
        guard case .list(let empty) = none["rest"] else { Issue.record("rest is not a list"); return }
        #expect(empty.isEmpty)
    }

    @Test func keywordOnlyParametersAreTypeChecked() {
        #expect(throws: ArgumentError.self) {
            try Arguments(binding: [.string("a")], named: [("scale", .string("x"))], to: builtin)
        }
        #expect(throws: ArgumentError.self) {
            try Arguments(binding: [.string("a"), .string("not a number")], named: [], to: builtin)
        }
    }
}
