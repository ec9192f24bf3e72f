extension Parser {
    /// `expression := or`
    mutating func parseExpression() throws(PrunebookError) -> Expr {
        let start = current.offset
        try nest(start)
        defer { depth -= 1 }
        return try parseOr()
    }

    /// `or := and ('or' and)*`
    mutating func parseOr() throws(PrunebookError) -> Expr {
        var left = try parseAnd()
        while check(.keyword(.or)) {
            let op = advance()
            skipNewlines()
            let right = try parseAnd()
            left = Expr(kind: .logical(isAnd: false, left, right), offset: op.offset)
        }
        return left
    }

    /// `and := not ('and' not)*`
    mutating func parseAnd() throws(PrunebookError) -> Expr {
        var left = try parseNot()
        while check(.keyword(.and)) {
            let op = advance()
            skipNewlines()
            let right = try parseNot()
            left = Expr(kind: .logical(isAnd: true, left, right), offset: op.offset)
        }
        return left
    }

    /// `not := 'not' not | comparison`
    mutating func parseNot() throws(PrunebookError) -> Expr {
        if check(.keyword(.not)) {
            let op = advance()
            try nest(op.offset)
            defer { depth -= 1 }
            let operand = try parseNot()
            return Expr(kind: .unary(.not, operand), offset: op.offset)
        }
        return try parseComparison()
    }

    /// `comparison := additive (('==' | '!=' | '<' | '<=' | '>' | '>=') additive)*`
    mutating func parseComparison() throws(PrunebookError) -> Expr {
        var left = try parseAdditive()
        while true {
            let op = current
            let binary: BinaryOperator
            switch op.kind {
            case .symbol(.equal): binary = .equal
            case .symbol(.notEqual): binary = .notEqual
            case .symbol(.less): binary = .less
            case .symbol(.lessEqual): binary = .lessEqual
            case .symbol(.greater): binary = .greater
            case .symbol(.greaterEqual): binary = .greaterEqual
            default: return left
            }
            _ = advance()
            skipNewlines()
            let right = try parseAdditive()
            left = Expr(kind: .binary(binary, left, right), offset: op.offset)
        }
    }

    /// `additive := multiplicative (('+' | '-') multiplicative)*`
    mutating func parseAdditive() throws(PrunebookError) -> Expr {
        var left = try parseMultiplicative()
        while true {
            let op = current
            let binary: BinaryOperator
            switch op.kind {
            case .symbol(.plus): binary = .add
            case .symbol(.minus): binary = .subtract
            default: return left
            }
            _ = advance()
            skipNewlines()
            let right = try parseMultiplicative()
            left = Expr(kind: .binary(binary, left, right), offset: op.offset)
        }
    }

    /// `multiplicative := unary (('*' | '/' | '%' | '@') unary)*`
    mutating func parseMultiplicative() throws(PrunebookError) -> Expr {
        var left = try parseUnary()
        while true {
            let op = current
            let binary: BinaryOperator
            switch op.kind {
            case .symbol(.star): binary = .multiply
            case .symbol(.slash): binary = .divide
            case .symbol(.percent): binary = .modulo
            case .symbol(.at): binary = .matmul
            default: return left
            }
            _ = advance()
            skipNewlines()
            let right = try parseUnary()
            left = Expr(kind: .binary(binary, left, right), offset: op.offset)
        }
    }

    /// `unary := '-' unary | power`
    mutating func parseUnary() throws(PrunebookError) -> Expr {
        if check(.symbol(.minus)) {
            let op = advance()
            try nest(op.offset)
            defer { depth -= 1 }
            let operand = try parseUnary()
            if case .number(let n) = operand.kind {
                return Expr(kind: .number(-n), offset: op.offset)
            }
            return Expr(kind: .unary(.negate, operand), offset: op.offset)
        }
        if check(.symbol(.plus)) {
            let op = advance()
            throw .syntax("unary `+` is not supported (remove it)", location(op.offset))
        }
        return try parsePower()
    }

    /// `power := postfix ('**' unary)?` (right associative)
    mutating func parsePower() throws(PrunebookError) -> Expr {
        let base = try parsePostfix()
        if check(.symbol(.power)) {
            let op = advance()
            skipNewlines()
            try nest(op.offset)
            defer { depth -= 1 }
            let exponent = try parseUnary()
            return Expr(kind: .binary(.power, base, exponent), offset: op.offset)
        }
        return base
    }

    /// `postfix := primary ('(' args ')' | '[' items ']' | '.' NAME)*`
    mutating func parsePostfix() throws(PrunebookError) -> Expr {
        var expression = try parsePrimary()
        while true {
            let token = current
            switch token.kind {
            case .symbol(.leftParen):
                _ = advance()
                let arguments = try parseArguments(open: token.offset)
                expression = Expr(kind: .call(callee: expression, arguments: arguments), offset: expression.offset)
            case .symbol(.leftBracket):
                _ = advance()
                let items = try parseIndexItems(open: token.offset)
                expression = Expr(kind: .index(base: expression, items: items), offset: token.offset)
            case .symbol(.dot):
                _ = advance()
                let nameToken = current
                let name: String
                switch nameToken.kind {
                case .identifier(let n): name = n
                case .keyword(let k): name = k.rawValue
                default: throw unexpected("a field name after `.`")
                }
                _ = advance()
                expression = Expr(kind: .field(base: expression, name: name), offset: nameToken.offset)
            default:
                return expression
            }
        }
    }

    /// `args := (arg (',' arg)* ','?)?`, `arg := (NAME ':')? expression`
    mutating func parseArguments(open: Int) throws(PrunebookError) -> [CallArgument] {
        try withNewlines(ignored: true) { (p: inout Parser) throws(PrunebookError) -> [CallArgument] in
            var arguments: [CallArgument] = []
            var sawNamed = false
            while !p.check(.symbol(.rightParen)) {
                if p.check(.end) { throw .syntax("unclosed `(` (expected `)`)", p.location(open)) }
                let token = p.current
                if case .identifier(let name) = token.kind, case .symbol(.colon) = p.peekKind(1) {
                    _ = p.advance()
                    _ = p.advance()
                    if arguments.contains(where: { $0.name == name }) {
                        throw .syntax("argument `\(name)` is given twice", p.location(token.offset))
                    }
                    arguments.append(CallArgument(name: name, value: try p.parseExpression(), offset: token.offset))
                    sawNamed = true
                } else {
                    let value = try p.parseExpression()
                    if sawNamed {
                        throw .syntax("positional argument after a named one", p.location(value.offset))
                    }
                    arguments.append(CallArgument(name: nil, value: value, offset: token.offset))
                }
                if !p.match(.symbol(.comma)) { break }
            }
            if p.check(.end) { throw .syntax("unclosed `(` (expected `)`)", p.location(open)) }
            try p.expect(.symbol(.rightParen), "`,` or `)` in the argument list")
            return arguments
        }
    }

    /// The kind of the token `ahead` positions after the current one, skipping newlines
    /// when they are ignored.
    mutating func peekKind(_ ahead: Int) -> TokenKind {
        _ = current
        var look = position
        var remaining = ahead
        while remaining > 0 {
            look += 1
            if newlinesIgnored.last == true {
                while case .newline = tokens[look].kind { look += 1 }
            }
            remaining -= 1
        }
        return tokens[min(look, tokens.count - 1)].kind
    }

    /// `items := item (',' item)*`, `item := expression | expression? ':' expression? (':' expression?)?`
    mutating func parseIndexItems(open: Int) throws(PrunebookError) -> [IndexItem] {
        try withNewlines(ignored: true) { (p: inout Parser) throws(PrunebookError) -> [IndexItem] in
            var items: [IndexItem] = []
            while !p.check(.symbol(.rightBracket)) {
                if p.check(.end) { throw .syntax("unclosed `[` (expected `]`)", p.location(open)) }
                var start: Expr?
                if !p.check(.symbol(.colon)) { start = try p.parseExpression() }
                if p.match(.symbol(.colon)) {
                    var stop: Expr?
                    var step: Expr?
                    if !p.check(.symbol(.colon)) && !p.check(.symbol(.comma)) && !p.check(.symbol(.rightBracket)) {
                        stop = try p.parseExpression()
                    }
                    if p.match(.symbol(.colon)) {
                        if !p.check(.symbol(.comma)) && !p.check(.symbol(.rightBracket)) {
                            step = try p.parseExpression()
                        }
                    }
                    items.append(.slice(start: start, stop: stop, step: step))
                } else if let start {
                    items.append(.expression(start))
                }
                if !p.match(.symbol(.comma)) { break }
            }
            if p.check(.end) { throw .syntax("unclosed `[` (expected `]`)", p.location(open)) }
            try p.expect(.symbol(.rightBracket), "`,` or `]` in the index")
            if items.isEmpty { throw .syntax("empty index `[]`", p.location(open)) }
            return items
        }
    }

    /// `primary := NUMBER | STRING | FSTRING | 'true' | 'false' | 'nil' | NAME | '(' expression ')'
    ///           | list | record | function`
    mutating func parsePrimary() throws(PrunebookError) -> Expr {
        let token = current
        switch token.kind {
        case .number(let n):
            _ = advance()
            return Expr(kind: .number(n), offset: token.offset)
        case .string(let s):
            _ = advance()
            return Expr(kind: .string(s), offset: token.offset)
        case .formatString(let parts):
            _ = advance()
            return Expr(kind: .formatString(try parseFormatParts(parts)), offset: token.offset)
        case .keyword(.true):
            _ = advance()
            return Expr(kind: .bool(true), offset: token.offset)
        case .keyword(.false):
            _ = advance()
            return Expr(kind: .bool(false), offset: token.offset)
        case .keyword(.nil):
            _ = advance()
            return Expr(kind: .nilLiteral, offset: token.offset)
        case .keyword(.fn):
            return Expr(kind: .function(try parseFunction(named: false)), offset: token.offset)
        case .identifier(let name):
            _ = advance()
            return Expr(kind: .name(name), offset: token.offset)
        case .symbol(.leftParen):
            _ = advance()
            return try withNewlines(ignored: true) { (p: inout Parser) throws(PrunebookError) -> Expr in
                let inner = try p.parseExpression()
                if p.check(.end) { throw .syntax("unclosed `(` (expected `)`)", p.location(token.offset)) }
                try p.expect(.symbol(.rightParen), "`)`")
                return inner
            }
        case .symbol(.leftBracket):
            _ = advance()
            return try parseList(open: token.offset)
        case .symbol(.leftBrace):
            _ = advance()
            return try parseRecord(open: token.offset)
        default:
            throw unexpected("an expression")
        }
    }

    /// `list := '[' (expression (',' expression)* ','?)? ']'`
    mutating func parseList(open: Int) throws(PrunebookError) -> Expr {
        try withNewlines(ignored: true) { (p: inout Parser) throws(PrunebookError) -> Expr in
            var elements: [Expr] = []
            while !p.check(.symbol(.rightBracket)) {
                if p.check(.end) { throw .syntax("unclosed `[` (expected `]`)", p.location(open)) }
                elements.append(try p.parseExpression())
                if !p.match(.symbol(.comma)) { break }
            }
            if p.check(.end) { throw .syntax("unclosed `[` (expected `]`)", p.location(open)) }
            try p.expect(.symbol(.rightBracket), "`,` or `]` in the list")
            return Expr(kind: .list(elements), offset: open)
        }
    }

    /// `record := '{' ((NAME | STRING) ':' expression (',' ...)* ','?)? '}'`
    mutating func parseRecord(open: Int) throws(PrunebookError) -> Expr {
        try withNewlines(ignored: true) { (p: inout Parser) throws(PrunebookError) -> Expr in
            var fields: [(key: String, value: Expr)] = []
            while !p.check(.symbol(.rightBrace)) {
                if p.check(.end) { throw .syntax("unclosed `{` (expected `}`)", p.location(open)) }
                let keyToken = p.current
                let key: String
                switch keyToken.kind {
                case .identifier(let name): key = name
                case .string(let s): key = s
                case .keyword(let k): key = k.rawValue
                default: throw p.unexpected("a field name in the record")
                }
                _ = p.advance()
                try p.expect(.symbol(.colon), "`:` after the field name `\(key)`")
                if fields.contains(where: { $0.key == key }) {
                    throw .syntax("field `\(key)` appears twice in the record", p.location(keyToken.offset))
                }
                fields.append((key, try p.parseExpression()))
                if !p.match(.symbol(.comma)) { break }
            }
            if p.check(.end) { throw .syntax("unclosed `{` (expected `}`)", p.location(open)) }
            try p.expect(.symbol(.rightBrace), "`,` or `}` in the record")
            return Expr(kind: .record(fields), offset: open)
        }
    }

    /// Parses the expressions embedded in an f-string with a sub-lexer at their offsets.
    mutating func parseFormatParts(_ parts: [FormatStringPart]) throws(PrunebookError) -> [FormatPart] {
        var result: [FormatPart] = []
        for part in parts {
            switch part {
            case .text(let s):
                result.append(.text(s))
            case .expression(let text, let offset, let spec):
                var lexer = Lexer(source: source, range: offset..<(offset + text.utf8.count))
                let subTokens = try lexer.tokenize()
                var sub = Parser(source: source, tokens: subTokens, maxDepth: maxDepth)
                sub.depth = depth
                sub.newlinesIgnored = [true]
                let expression = try sub.parseExpression()
                guard sub.check(.end) else { throw sub.unexpected("`}` or `:` in the f-string") }
                result.append(.expression(expression, spec: spec))
            }
        }
        return result
    }
}
