/// Recursive-descent parser from tokens to a `Program`. Grammar rules are noted on each
/// function; precedence (lowest first): `or`, `and`, `not`, comparisons, `+ -`,
/// `* / % @`, unary `-`, `**` (right associative), postfix.
public struct Parser {
    let source: SourceFile
    var tokens: [Token]
    var position = 0
    /// Per nesting context: true when newlines are insignificant (inside `()`, `[]`,
    /// record literals), false inside blocks and at top level.
    var newlinesIgnored: [Bool] = [false]
    var depth = 0
    let maxDepth: Int

    /// A parser over `source`; `maxDepth` bounds expression and block nesting.
    public init(source: SourceFile, maxDepth: Int = 1000) throws(PrunebookError) {
        var lexer = Lexer(source: source)
        self.tokens = try lexer.tokenize()
        self.source = source
        self.maxDepth = maxDepth
    }

    init(source: SourceFile, tokens: [Token], maxDepth: Int) {
        self.source = source
        self.tokens = tokens
        self.maxDepth = maxDepth
    }

    /// Parses a whole source: `program := (statement (NEWLINE | ';'))* END`.
    public mutating func parseProgram() throws(PrunebookError) -> Program {
        var statements: [Stmt] = []
        var displaysLast = false
        skipTerminators()
        while !check(.end) {
            let statement = try parseStatement()
            statements.append(statement)
            if case .expression = statement.kind { displaysLast = true } else { displaysLast = false }
            if match(.symbol(.semicolon)) {
                if atStatementEnd(afterSemicolon: true) { displaysLast = false }
                skipTerminators()
                continue
            }
            guard check(.newline) || check(.end) else {
                throw unexpected("end of statement")
            }
            skipTerminators()
        }
        return Program(statements: statements, displaysLast: displaysLast, source: source)
    }

    // MARK: token access

    var current: Token {
        mutating get {
            if newlinesIgnored.last == true {
                while case .newline = tokens[position].kind { position += 1 }
            }
            return tokens[position]
        }
    }

    mutating func advance() -> Token {
        let token = current
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    mutating func check(_ kind: TokenKind) -> Bool { current.kind == kind }

    mutating func match(_ kind: TokenKind) -> Bool {
        if check(kind) { _ = advance(); return true }
        return false
    }

    @discardableResult
    mutating func expect(_ kind: TokenKind, _ what: String) throws(PrunebookError) -> Token {
        if check(kind) { return advance() }
        throw unexpected(what)
    }

    mutating func unexpected(_ what: String) -> PrunebookError {
        let token = current
        return .syntax("expected \(what), got \(token.kind.display)", location(token.offset))
    }

    func location(_ offset: Int) -> SourceLocation { SourceLocation(source: source, offset: offset) }

    mutating func skipTerminators() {
        while case .newline = tokens[position].kind { position += 1 }
        while case .symbol(.semicolon) = tokens[position].kind {
            position += 1
            while case .newline = tokens[position].kind { position += 1 }
        }
    }

    mutating func skipNewlines() {
        while case .newline = tokens[position].kind { position += 1 }
    }

    mutating func atStatementEnd(afterSemicolon: Bool) -> Bool {
        var look = position
        while case .newline = tokens[look].kind { look += 1 }
        if case .end = tokens[look].kind { return true }
        return false
    }

    mutating func withNewlines<T>(ignored: Bool, _ body: (inout Parser) throws(PrunebookError) -> T) throws(PrunebookError) -> T {
        newlinesIgnored.append(ignored)
        defer { newlinesIgnored.removeLast() }
        return try body(&self)
    }

    mutating func nest(_ offset: Int) throws(PrunebookError) {
        depth += 1
        if depth > maxDepth {
            throw PrunebookError(.limit, "nesting is deeper than the limit of \(maxDepth)", at: location(offset))
        }
    }

    mutating func identifier(_ what: String) throws(PrunebookError) -> (String, Int) {
        let token = current
        if case .identifier(let name) = token.kind {
            _ = advance()
            return (name, token.offset)
        }
        throw unexpected(what)
    }

    // MARK: statements

    /// `block := '{' (statement (NEWLINE | ';'))* '}'`
    mutating func parseBlock(_ owner: String) throws(PrunebookError) -> [Stmt] {
        let open = current
        guard case .symbol(.leftBrace) = open.kind else { throw unexpected("`{` to start the body of `\(owner)`") }
        _ = advance()
        try nest(open.offset)
        defer { depth -= 1 }
        return try withNewlines(ignored: false) { (p: inout Parser) throws(PrunebookError) -> [Stmt] in
            var statements: [Stmt] = []
            p.skipTerminators()
            while !p.check(.symbol(.rightBrace)) {
                if p.check(.end) {
                    throw .syntax("unclosed `{` (expected `}`)", p.location(open.offset))
                }
                statements.append(try p.parseStatement())
                if p.check(.symbol(.rightBrace)) { break }
                guard p.check(.newline) || p.check(.symbol(.semicolon)) else {
                    throw p.unexpected("end of statement")
                }
                p.skipTerminators()
            }
            _ = p.advance()
            return statements
        }
    }

    /// `statement := fnDecl | if | for | while | try | import | break | continue | return | assignment | expression`
    mutating func parseStatement() throws(PrunebookError) -> Stmt {
        let token = current
        switch token.kind {
        case .keyword(.fn):
            if case .identifier = tokens[position + 1].kind {
                return Stmt(kind: .function(try parseFunction(named: true)), offset: token.offset)
            }
        case .keyword(.if):
            return try parseIf()
        case .keyword(.for):
            return try parseFor()
        case .keyword(.while):
            _ = advance()
            let condition = try parseExpression()
            let body = try parseBlock("while")
            return Stmt(kind: .whileLoop(condition: condition, body: body), offset: token.offset)
        case .keyword(.try):
            return try parseTry()
        case .keyword(.import):
            _ = advance()
            let pathToken = current
            guard case .string(let path) = pathToken.kind else { throw unexpected("a file name string after `import`") }
            _ = advance()
            return Stmt(kind: .importFile(path: path), offset: token.offset)
        case .keyword(.break):
            _ = advance()
            return Stmt(kind: .breakLoop, offset: token.offset)
        case .keyword(.continue):
            _ = advance()
            return Stmt(kind: .continueLoop, offset: token.offset)
        case .keyword(.return):
            _ = advance()
            if check(.newline) || check(.end) || check(.symbol(.semicolon)) || check(.symbol(.rightBrace)) {
                return Stmt(kind: .returnValue(nil), offset: token.offset)
            }
            return Stmt(kind: .returnValue(try parseExpression()), offset: token.offset)
        default:
            break
        }
        let expression = try parseExpression()
        let op = current
        if case .symbol(let symbol) = op.kind {
            let compound: [Symbol: BinaryOperator] = [.plusAssign: .add, .minusAssign: .subtract,
                                                      .starAssign: .multiply, .slashAssign: .divide]
            if symbol == .assign || compound[symbol] != nil {
                try validateTarget(expression)
                _ = advance()
                skipNewlines()
                let value = try parseExpression()
                if let binary = compound[symbol] {
                    return Stmt(kind: .compoundAssign(target: expression, op: binary, value: value), offset: op.offset)
                }
                return Stmt(kind: .assign(target: expression, value: value), offset: op.offset)
            }
        }
        return Stmt(kind: .expression(expression), offset: token.offset)
    }

    func validateTarget(_ target: Expr) throws(PrunebookError) {
        switch target.kind {
        case .name:
            return
        case .index(let base, _), .field(let base, _):
            try validateTarget(base)
        default:
            throw .syntax("cannot assign to this expression (assign to a name, an index or a field)", location(target.offset))
        }
    }

    /// `if := 'if' expr block ('else' (if | block))?`
    mutating func parseIf() throws(PrunebookError) -> Stmt {
        let token = advance()
        let condition = try parseExpression()
        let then = try parseBlock("if")
        var otherwise: [Stmt]?
        var look = position
        while case .newline = tokens[look].kind { look += 1 }
        if case .keyword(.else) = tokens[look].kind {
            position = look + 1
            if check(.keyword(.if)) {
                otherwise = [try parseIf()]
            } else {
                otherwise = try parseBlock("else")
            }
        }
        return Stmt(kind: .ifElse(condition: condition, then: then, otherwise: otherwise), offset: token.offset)
    }

    /// `for := 'for' NAME (',' NAME)? 'in' expr block`
    mutating func parseFor() throws(PrunebookError) -> Stmt {
        let token = advance()
        var variables: [(name: String, offset: Int)] = []
        let first = try identifier("a loop variable name after `for`")
        variables.append((first.0, first.1))
        if match(.symbol(.comma)) {
            let second = try identifier("a second loop variable name")
            variables.append((second.0, second.1))
        }
        try expect(.keyword(.in), "`in` after the loop variable")
        let iterable = try parseExpression()
        let body = try parseBlock("for")
        return Stmt(kind: .forLoop(variables: variables, iterable: iterable, body: body), offset: token.offset)
    }

    /// `try := 'try' block 'catch' NAME? block`
    mutating func parseTry() throws(PrunebookError) -> Stmt {
        let token = advance()
        let body = try parseBlock("try")
        var look = position
        while case .newline = tokens[look].kind { look += 1 }
        guard case .keyword(.catch) = tokens[look].kind else {
            position = look
            throw unexpected("`catch` after the `try` block")
        }
        position = look + 1
        var name: String?
        if case .identifier(let n) = current.kind {
            name = n
            _ = advance()
        }
        let handler = try parseBlock("catch")
        return Stmt(kind: .tryCatch(body: body, name: name, handler: handler), offset: token.offset)
    }

    /// `function := 'fn' NAME? '(' params ')' (block | '=>' expr)`
    mutating func parseFunction(named: Bool) throws(PrunebookError) -> FunctionDecl {
        let fnToken = advance()
        var name: String?
        if named { name = try identifier("a function name").0 }
        let open = current
        try expect(.symbol(.leftParen), "`(` to start the parameter list")
        var parameters: [(name: String, defaultValue: Expr?)] = []
        try withNewlines(ignored: true) { (p: inout Parser) throws(PrunebookError) in
            while !p.check(.symbol(.rightParen)) {
                let (param, offset) = try p.identifier("a parameter name")
                if parameters.contains(where: { $0.name == param }) {
                    throw .syntax("duplicate parameter `\(param)`", p.location(offset))
                }
                var defaultValue: Expr?
                if p.match(.symbol(.assign)) || p.match(.symbol(.colon)) {
                    defaultValue = try p.parseExpression()
                } else if parameters.last?.defaultValue != nil {
                    throw .syntax("parameter `\(param)` without a default follows one with a default", p.location(offset))
                }
                parameters.append((param, defaultValue))
                if !p.match(.symbol(.comma)) { break }
            }
            if p.check(.end) { throw .syntax("unclosed `(`", p.location(open.offset)) }
            try p.expect(.symbol(.rightParen), "`)` or `,` in the parameter list")
        }
        let body: [Stmt]
        if check(.symbol(.arrow)) {
            let arrow = advance()
            skipNewlines()
            let value = try parseExpression()
            body = [Stmt(kind: .returnValue(value), offset: arrow.offset)]
        } else {
            body = try parseBlock(name.map { "fn \($0)" } ?? "fn")
        }
        return FunctionDecl(name: name, parameters: parameters, body: body, doc: fnToken.doc, offset: fnToken.offset)
    }
}
