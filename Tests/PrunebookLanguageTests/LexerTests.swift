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

    /// A `\u{…}` escape with more than 8 hex digits is a syntax error; it overflowed the
    /// scalar's UInt32 and crashed (found by the interpreter fuzz target).
    @Test func overlongUnicodeEscapeIsASyntaxError() throws {
        do {
            _ = try kinds("print(\"\\u{e5555555555555555555}\")")
            Issue.record("an overlong \\u escape lexed")
        } catch let error as PrunebookError {
            #expect(error.message == "invalid unicode escape")
        } catch {
            Issue.record("unexpected error \(error)")
        }
        #expect(try kinds("\"\\u{1F600}\"") == [.string("😀"), .end])
    }

    @Test func unterminatedStringIsASyntaxErrorAtItsStart() {
        #expect(throws: PrunebookError.self) { try kinds("x = \"abc") }
    }
}
