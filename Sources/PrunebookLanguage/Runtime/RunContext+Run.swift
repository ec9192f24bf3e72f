extension RunContext {
    /// Parses, compiles and runs `source` in this context's globals. Returns the value of
    /// the last expression when it is displayed (not nil, no trailing `;`).
    @discardableResult
    public func run(_ source: SourceFile) throws -> Value? {
        var parser = try Parser(source: source, maxDepth: limits.parserDepth)
        let program = try parser.parseProgram()
        let compiler = Compiler(context: self, source: source)
        var statements = program.statements
        var last: Expr?
        if program.displaysLast, case .expression(let e)? = statements.last?.kind {
            last = e
            statements.removeLast()
        }
        let scope = Compiler.Scope(parent: nil, functionName: nil)
        let nodes = try statements.map { try compiler.compile($0, scope) }
        let lastNode = try last.map { try compiler.compile($0, scope) }
        let frame = Frame.make(slotCount: 0, parent: nil)
        // Ctrl-C (and the cell's time budget) are also checked between top-level statements,
        // so a builtin that stops early on Ctrl-C and returns its partial result (`train`)
        // has that result assigned, and the cell stops right after.
        for node in nodes {
            if interrupt.isRequested || deadline != nil { try checkInterrupt() }
            switch try node.execute(frame, self) {
            case .normal: continue
            case .breakLoop, .continueLoop:
                throw PrunebookError(.syntax, "`break` or `continue` outside a loop", at: node.location)
            case .returned:
                throw PrunebookError(.syntax, "`return` outside a function", at: node.location)
            }
        }
        guard let lastNode else { return nil }
        if interrupt.isRequested || deadline != nil { try checkInterrupt() }
        let value = try lastNode.evaluate(frame, self)
        if case .nilValue = value { return nil }
        return value
    }
}
