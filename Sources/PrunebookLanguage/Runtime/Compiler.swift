/// Resolves names to slots and turns the AST into executable nodes. Top-level names are
/// globals; inside a function, every name assigned anywhere in its body (parameters, loop
/// and catch variables, assignment targets, nested `fn` names) is a local slot. A local
/// read before its first assignment reads the enclosing binding of the same name, so a
/// function starts from the outer value and its changes stay local.
struct Compiler {
    let context: RunContext
    let source: SourceFile

    final class Scope {
        let parent: Scope?
        let functionName: String?
        var slots: [String: Int] = [:]
        var slotCount = 0

        init(parent: Scope?, functionName: String?) {
            self.parent = parent
            self.functionName = functionName
        }

        var isTopLevel: Bool { parent == nil }

        func declare(_ name: String) {
            if slots[name] == nil {
                slots[name] = slotCount
                slotCount += 1
            }
        }
    }

    func location(_ offset: Int) -> SourceLocation { SourceLocation(source: source, offset: offset) }


    // MARK: names

    /// The read node for `name` as seen from `scope`.
    func read(_ name: String, _ scope: Scope, at offset: Int, depth: Int = 0) -> ExprNode {
        if scope.isTopLevel {
            return GlobalReadNode(index: context.globals.index(for: name), name: name, location(offset))
        }
        if let slot = scope.slots[name] {
            let fallback = scope.parent.map { read(name, $0, at: offset) }
            return LocalReadNode(depth: depth, slot: slot, name: name, fallback: fallback, location(offset))
        }
        guard let parent = scope.parent else {
            return GlobalReadNode(index: context.globals.index(for: name), name: name, location(offset))
        }
        if parent.isTopLevel {
            return GlobalReadNode(index: context.globals.index(for: name), name: name, location(offset))
        }
        return read(name, parent, at: offset, depth: depth + 1)
    }

    /// The assignment target for variable `name` in `scope`.
    func target(_ name: String, _ scope: Scope, at offset: Int) -> LValueNode {
        if scope.isTopLevel {
            return GlobalTarget(index: context.globals.index(for: name), name: name, location(offset))
        }
        scope.declare(name)
        let fallback = scope.parent.map { read(name, $0, at: offset) }
        return LocalTarget(depth: 0, slot: scope.slots[name] ?? 0, name: name, fallback: fallback, location(offset))
    }

    /// Declares every name a function body assigns (not looking into nested functions).
    func declareLocals(_ statements: [Stmt], _ scope: Scope) {
        for statement in statements {
            switch statement.kind {
            case .assign(let target, _), .compoundAssign(let target, _, _):
                if let root = rootName(target) { scope.declare(root) }
            case .ifElse(_, let then, let otherwise):
                declareLocals(then, scope)
                if let otherwise { declareLocals(otherwise, scope) }
            case .forLoop(let variables, _, let body):
                for v in variables { scope.declare(v.name) }
                declareLocals(body, scope)
            case .whileLoop(_, let body):
                declareLocals(body, scope)
            case .function(let decl):
                if let name = decl.name { scope.declare(name) }
            case .tryCatch(let body, let name, let handler):
                declareLocals(body, scope)
                if let name { scope.declare(name) }
                declareLocals(handler, scope)
            default:
                break
            }
        }
    }

    func rootName(_ target: Expr) -> String? {
        switch target.kind {
        case .name(let n): return n
        case .index(let base, _), .field(let base, _): return rootName(base)
        default: return nil
        }
    }

    // MARK: statements

    func compile(_ statement: Stmt, _ scope: Scope) throws -> StmtNode {
        let here = location(statement.offset)
        switch statement.kind {
        case .expression(let e):
            return ExpressionStatement(try compile(e, scope))
        case .assign(let targetExpr, let value):
            let valueNode = try compile(value, scope)
            let target = try compileTarget(targetExpr, scope)
            return UpdateInPlaceStatement.make(target: target, call: valueNode, here)
                ?? AssignStatement(target: target, value: valueNode, here)
        case .compoundAssign(let targetExpr, let op, let value):
            let valueNode = try compile(value, scope)
            return CompoundAssignStatement(target: try compileTarget(targetExpr, scope), op: op, value: valueNode, here)
        case .ifElse(let condition, let then, let otherwise):
            return IfStatement(condition: try compile(condition, scope), then: try compileBlock(then, scope),
                               otherwise: try otherwise.map { try compileBlock($0, scope) }, here)
        case .forLoop(let variables, let iterable, let body):
            let iterableNode = try compile(iterable, scope)
            let targets = variables.map { target($0.name, scope, at: $0.offset) }
            return ForStatement(variables: targets, iterable: iterableNode, body: try compileBlock(body, scope), here)
        case .whileLoop(let condition, let body):
            return WhileStatement(condition: try compile(condition, scope), body: try compileBlock(body, scope), here)
        case .breakLoop:
            return BreakStatement(here)
        case .continueLoop:
            return ContinueStatement(here)
        case .returnValue(let value):
            if scope.isTopLevel {
                throw PrunebookError.syntax("`return` outside a function", here)
            }
            return ReturnStatement(value: try value.map { try compile($0, scope) }, here)
        case .function(let decl):
            let node = try compileFunction(decl, scope)
            return AssignStatement(target: target(decl.name ?? "<fn>", scope, at: decl.offset), value: node, here)
        case .importFile(let path):
            return ImportStatement(path: path, here)
        case .tryCatch(let body, let name, let handler):
            let bodyNodes = try compileBlock(body, scope)
            let variable = name.map { target($0, scope, at: statement.offset) }
            return TryStatement(body: bodyNodes, variable: variable, handler: try compileBlock(handler, scope), here)
        }
    }

    func compileBlock(_ statements: [Stmt], _ scope: Scope) throws -> StatementBlock {
        StatementBlock(try statements.map { try compile($0, scope) })
    }

    func compileTarget(_ expression: Expr, _ scope: Scope) throws -> LValueNode {
        switch expression.kind {
        case .name(let name):
            return target(name, scope, at: expression.offset)
        case .index(let base, let items):
            return IndexTarget(base: try compileTarget(base, scope), items: try compileItems(items, scope), location(expression.offset))
        case .field(let base, let name):
            return FieldTarget(base: try compileTarget(base, scope), name: name, location(expression.offset))
        default:
            throw PrunebookError.syntax("cannot assign to this expression", location(expression.offset))
        }
    }

    func compileFunction(_ decl: FunctionDecl, _ scope: Scope) throws -> FunctionNode {
        let name = decl.name ?? "<lambda>"
        let inner = Scope(parent: scope, functionName: name)
        for parameter in decl.parameters { inner.declare(parameter.name) }
        declareLocals(decl.body, inner)
        var parameters: [FunctionProto.Param] = []
        for parameter in decl.parameters {
            let defaultNode = try parameter.defaultValue.map { try compile($0, inner) }
            let text = parameter.defaultValue.map { sourceText(of: $0) }
            parameters.append(.init(name: parameter.name, defaultNode: defaultNode, defaultText: text))
        }
        let body = try compileBlock(decl.body, inner)
        return FunctionNode(FunctionProto(name: name, parameters: parameters, body: body, slotCount: inner.slotCount,
                                          doc: decl.doc, location: location(decl.offset), capturesFrame: !scope.isTopLevel))
    }

    /// The source text of a default-value expression, for signatures.
    func sourceText(of expression: Expr) -> String {
        switch expression.kind {
        case .number(let n): return formatNumber(n)
        case .string(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        case .nilLiteral: return "nil"
        case .name(let n): return n
        default: return "…"
        }
    }

    func compileItems(_ items: [IndexItem], _ scope: Scope) throws -> [IndexItemNode] {
        try items.map { item in
            switch item {
            case .expression(let e): return .value(try compile(e, scope))
            case .slice(let a, let b, let c):
                return .slice(try a.map { try compile($0, scope) }, try b.map { try compile($0, scope) }, try c.map { try compile($0, scope) })
            }
        }
    }

    // MARK: expressions

    func compile(_ expression: Expr, _ scope: Scope) throws -> ExprNode {
        let here = location(expression.offset)
        switch expression.kind {
        case .number(let n): return ConstantNode(.number(n), here)
        case .string(let s): return ConstantNode(.string(s), here)
        case .bool(let b): return ConstantNode(.bool(b), here)
        case .nilLiteral: return ConstantNode(.nilValue, here)
        case .name(let name): return read(name, scope, at: expression.offset)
        case .list(let elements): return ListNode(try elements.map { try compile($0, scope) }, here)
        case .record(let fields):
            return RecordNode(keys: fields.map(\.key), values: try fields.map { try compile($0.value, scope) }, here)
        case .formatString(let parts):
            return FormatStringNode(try parts.map { part in
                switch part {
                case .text(let s): return .text(s)
                case .expression(let e, let spec):
                    let parsed: FormatSpec?
                    do { parsed = try spec.map { try FormatSpec(parsing: $0) } } catch { throw located(error, location(e.offset)) }
                    return .expression(try compile(e, scope), spec: parsed)
                }
            }, here)
        case .unary(let op, let operand):
            return UnaryNode(op, try compile(operand, scope), here)
        case .binary(let op, let left, let right):
            return LocalBinaryNode.make(BinaryNode(op, try compile(left, scope), try compile(right, scope), here))
        case .logical(let isAnd, let left, let right):
            return LogicalNode(isAnd: isAnd, try compile(left, scope), try compile(right, scope), here)
        case .call(let callee, let arguments):
            let positional = try arguments.filter { $0.name == nil }.map { try compile($0.value, scope) }
            let named = try arguments.compactMap { arg -> (name: String, node: ExprNode)? in
                guard let name = arg.name else { return nil }
                return (name, try compile(arg.value, scope))
            }
            if case .field(let base, let name) = callee.kind {
                let call = CallNode(callee: ConstantNode(.nilValue, here), positional: positional, named: named,
                                    enclosingFunction: scope.functionName, location(callee.offset))
                return MethodCallNode(receiver: try compile(base, scope), name: name,
                                      function: read(name, scope, at: callee.offset), call: call, location(callee.offset))
            }
            return CallNode(callee: try compile(callee, scope), positional: positional, named: named,
                            enclosingFunction: scope.functionName, here)
        case .index(let base, let items):
            return IndexNode(base: try compile(base, scope), items: try compileItems(items, scope), here)
        case .field(let base, let name):
            return FieldNode(base: try compile(base, scope), name: name, here)
        case .function(let decl):
            return try compileFunction(decl, scope)
        }
    }
}
