@testable import PrunebookLanguage
import Testing

@Suite struct LexerTests {
    func kinds(_ text: String) throws -> [TokenKind] {
        var lexer = Lexer(source: SourceFile(name: "t", text: text))
        return try lexer.tokenize().map(\.kind)
    }

    @Test func numbersAcceptHexUnderscoresAndExponents() throws {
        #expect(try kinds("0x1F 1_000_000 1e-3 2.5") == [.number(31), .number(1_000_000), .number(0.001), .number(2.5), .end])
    }

    @Test func newlinesCollapseIntoOneToken() throws {
        #expect(try kinds("a\n\n\nb") == [.identifier("a"), .newline, .identifier("b"), .end])
    }

    @Test func formatStringSpecStartsAtFirstColonOutsideBrackets() throws {
        let tokens = try kinds("f\"{f(m, window: 256):.3f}\"")
        guard case .formatString(let parts) = tokens[0], case .expression(let source, _, let spec) = parts[0] else {
            Issue.record("expected an f-string with one expression")
            return
        }
        #expect(source == "f(m, window: 256)")
        #expect(spec == ".3f")
    }

    @Test func unterminatedStringIsASyntaxErrorAtItsStart() {
        #expect(throws: PrunebookError.self) { try kinds("x = \"abc") }
    }
}
