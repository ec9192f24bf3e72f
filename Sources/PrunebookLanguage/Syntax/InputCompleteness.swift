/// Whether `text` is an unfinished statement that more lines could complete: an open
/// bracket or brace (a syntax error "unclosed …" or "… got end of input"), or a last line
/// ending in a binary operator or a comma. The REPL keeps reading (`...> `)
/// while this is true; any other syntax error is reported at once.
public func isIncompleteInput(_ text: String) -> Bool {
    let source = SourceFile(name: "<input>", text: text)
    var lexer = Lexer(source: source)
    let tokens: [Token]
    do {
        tokens = try lexer.tokenize()
    } catch {
        return false
    }
    let significant = tokens.filter { if case .newline = $0.kind { return false } else { return true } }
    if significant.count >= 2, significant[significant.count - 2].kind.continuesLine {
        return true
    }
    do {
        var parser = Parser(source: source, tokens: tokens, maxDepth: 1000)
        _ = try parser.parseProgram()
        return false
    } catch {
        guard error.kind == .syntax else { return false }
        return error.message.hasSuffix("got end of input") || error.message.hasPrefix("unclosed")
    }
}
