import Foundation

final class ExpressionStatement: StmtNode {
    let expression: ExprNode
    init(_ expression: ExprNode) {
        self.expression = expression
        super.init(expression.location)
    }
    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        _ = try expression.evaluate(frame, context)
        return .normal
    }
}

final class AssignStatement: StmtNode {
    let target: LValueNode
    let value: ExprNode
    init(target: LValueNode, value: ExprNode, _ location: SourceLocation) {
        self.target = target
        self.value = value
        super.init(location)
    }
    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        let v = try value.evaluate(frame, context)
        try target.store(v, frame, context)
        return .normal
    }
}

final class CompoundAssignStatement: StmtNode {
    let target: LValueNode
    let op: BinaryOperator
    let value: ExprNode
    /// The target's slot when it is a local of the current frame.
    let slot: Int?
    /// The right-hand side when it is a number literal (`c += 1`).
    let constant: Double?
    init(target: LValueNode, op: BinaryOperator, value: ExprNode, _ location: SourceLocation) {
        self.target = target
        self.op = op
        self.value = value
        self.slot = (target as? LocalTarget)?.currentFrameSlot
        if let literal = value as? ConstantNode, case .number(let n) = literal.value { constant = n } else { constant = nil }
        super.init(location)
    }
    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        let rhs = try constant.map(Value.number) ?? value.evaluate(frame, context)
        if let slot, case .number(let x)? = frame.slots[slot], case .number(let y) = rhs,
           let r = numberOperation(op, x, y) {
            // The slot holds a number, which needs no destroying: overwrite it in place.
            (frame.slots + slot).initialize(to: r)
            return .normal
        }
        // `s += t` / `xs += ys`: moved out of the slot, the string or list grows in place.
        if let slot, op == .add, var current = frame.slots[slot].take() {
            let done = appendInPlace(&current, rhs)
            frame.slots[slot] = current
            if done { return .normal }
        }
        let op = self.op
        let location = self.location
        try target.modify(frame, context) { current in
            if case .number(let x) = current, case .number(let y) = rhs, let r = numberOperation(op, x, y) {
                current = r
                return
            }
            do { try compoundOperation(op, &current, rhs) } catch { throw located(error, location) }
        }
        return .normal
    }
}

final class IfStatement: StmtNode {
    let condition: Condition
    let then: StatementBlock
    let otherwise: StatementBlock?
    init(condition: ExprNode, then: StatementBlock, otherwise: StatementBlock?, _ location: SourceLocation) {
        self.condition = Condition(condition, keyword: "if")
        self.then = then
        self.otherwise = otherwise
        super.init(location)
    }
    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        if try condition.holds(frame, context) {
            return try then.run(frame, context)
        } else if let otherwise {
            return try otherwise.run(frame, context)
        }
        return .normal
    }
}

/// The condition of an `if` or `while`, which must be a bool. A comparison of locals and
/// numbers (`i < j`, `n <= 1`) is answered without building a `Value`.
struct Condition {
    let node: ExprNode
    private let comparison: LocalBinaryNode?
    private let keyword: String

    init(_ node: ExprNode, keyword: String) {
        self.node = node
        self.comparison = (node as? LocalBinaryNode).flatMap { $0.isComparison ? $0 : nil }
        self.keyword = keyword
    }

    /// Whether the condition holds now.
    @inline(__always)
    func holds(_ frame: Frame, _ context: RunContext) throws -> Bool {
        if let comparison, let answer = comparison.numericComparison(frame) { return answer }
        return try evaluateCondition(node, frame, context, keyword)
    }
}

/// Evaluates a condition, which must be a bool.
@inline(__always)
func evaluateCondition(_ node: ExprNode, _ frame: Frame, _ context: RunContext, _ keyword: String) throws -> Bool {
    let value = try node.evaluate(frame, context)
    if case .bool(let b) = value { return b }
    if case .tensor = value {
        throw PrunebookError(.type, "condition of `\(keyword)` is a tensor, not a bool (use `any(t)` or `all(t)`)", at: node.location)
    }
    throw PrunebookError(.type, "condition of `\(keyword)` must be a bool, got \(value.typeName)", at: node.location)
}

final class WhileStatement: StmtNode {
    let condition: Condition
    let body: StatementBlock
    init(condition: ExprNode, body: StatementBlock, _ location: SourceLocation) {
        self.condition = Condition(condition, keyword: "while")
        self.body = body
        super.init(location)
    }
    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        while try condition.holds(frame, context) {
            if context.interrupt.isRequested || context.deadline != nil { try context.checkInterrupt() }
            switch try body.run(frame, context) {
            case .normal, .continueLoop: continue
            case .breakLoop: return .normal
            case .returned: return .returned
            }
        }
        return .normal
    }
}

final class ForStatement: StmtNode {
    let variables: [LValueNode]
    let iterable: ExprNode
    let body: StatementBlock
    /// The single loop variable's slot when it is a local of the current frame.
    let slot: Int?
    init(variables: [LValueNode], iterable: ExprNode, body: StatementBlock, _ location: SourceLocation) {
        self.variables = variables
        self.iterable = iterable
        self.body = body
        self.slot = variables.count == 1 ? (variables[0] as? LocalTarget)?.currentFrameSlot : nil
        super.init(location)
    }

    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        let sequence = try iterable.evaluate(frame, context)
        if case .range(let range) = sequence, variables.count == 1 {
            let count = range.count
            let variable = variables[0]
            var i = 0
            while i < count {
                if let slot {
                    let slots = frame.slots
                    if case .number? = slots[slot] {
                        // A number needs no destroying: overwrite it in place.
                        (slots + slot).initialize(to: .number(range.element(i)))
                    } else {
                        slots[slot] = .number(range.element(i))
                    }
                } else {
                    try variable.store(.number(range.element(i)), frame, context)
                }
                i += 1
                if let flow = try runBody(frame, context) { return flow }
            }
            return .normal
        }
        let items: [Value]
        do { items = try iterationItems(sequence, pairs: variables.count == 2) } catch { throw located(error, iterable.location) }
        for item in items {
            if variables.count == 2 {
                guard case .list(let pair) = item, pair.count == 2 else {
                    throw PrunebookError(.type, "cannot unpack \(item.typeName) into two loop variables", at: location)
                }
                try variables[0].store(pair[0], frame, context)
                try variables[1].store(pair[1], frame, context)
            } else {
                try variables[0].store(item, frame, context)
            }
            if let flow = try runBody(frame, context) { return flow }
        }
        return .normal
    }

    /// Runs the body once; returns a flow when the loop must end.
    @inline(__always)
    func runBody(_ frame: Frame, _ context: RunContext) throws -> Flow? {
        if context.interrupt.isRequested || context.deadline != nil { try context.checkInterrupt() }
        switch try body.run(frame, context) {
        case .normal, .continueLoop: return nil
        case .breakLoop: return .normal
        case .returned: return .returned
        }
    }
}

/// The elements a `for` loop visits: list items, range numbers, tensor rows (first axis),
/// string characters, record `[key, value]` pairs.
func iterationItems(_ sequence: Value, pairs: Bool) throws -> [Value] {
    switch sequence {
    case .list(let items): return items
    case .range(let range): return (0..<range.count).map { .number(range.element($0)) }
    case .string(let s): return s.map { .string(String($0)) }
    case .record(let r): return r.fields.map { .list([.string($0.key), $0.value]) }
    case .tensor(let t):
        guard t.ndim > 0 else { throw PrunebookError(.type, "cannot iterate over a 0-d tensor") }
        return try (0..<t.shape[0]).map { try getIndex(.tensor(t), [.value(.number(Double($0)))]) }
    default:
        throw PrunebookError(.type, "cannot iterate over a \(sequence.typeName)")
    }
}

final class BreakStatement: StmtNode {
    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow { .breakLoop }
}

final class ContinueStatement: StmtNode {
    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow { .continueLoop }
}

final class ReturnStatement: StmtNode {
    let value: ExprNode?
    init(value: ExprNode?, _ location: SourceLocation) {
        self.value = value
        super.init(location)
    }
    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        context.returnValue = try value?.evaluate(frame, context) ?? .nilValue
        return .returned
    }
}

final class TryStatement: StmtNode {
    let body: StatementBlock
    let variable: LValueNode?
    let handler: StatementBlock
    init(body: StatementBlock, variable: LValueNode?, handler: StatementBlock, _ location: SourceLocation) {
        self.body = body
        self.variable = variable
        self.handler = handler
        super.init(location)
    }
    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        let depth = context.callDepth
        do {
            return try body.run(frame, context)
        } catch {
            let e = asPrunebookError(error)
            guard e.isCatchable else { throw e }
            context.callDepth = depth
            if let variable {
                let record = Record([
                    ("message", .string(e.message)),
                    ("kind", .string(e.kind.rawValue)),
                    ("location", e.location.map { .string($0.description) } ?? .nilValue),
                ])
                try variable.store(.record(record), frame, context)
            }
            return try handler.run(frame, context)
        }
    }
}

final class ImportStatement: StmtNode {
    let path: String
    init(path: String, _ location: SourceLocation) {
        self.path = path
        super.init(location)
    }
    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        let base = location.source.path.map { URL(fileURLWithPath: $0).deletingLastPathComponent() } ?? context.baseDirectory
        let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : base.appendingPathComponent(path)
        let canonical = url.standardizedFileURL.path
        if context.imported.contains(canonical) { return .normal }
        let text: String
        do {
            text = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw PrunebookError(.io, "cannot import \"\(path)\": file not found or unreadable (looked at \(canonical))", at: location)
        }
        context.imported.insert(canonical)
        let source = SourceFile(name: relativeName(canonical, context), text: text, path: canonical)
        do {
            try context.run(source)
        } catch {
            var e = asPrunebookError(error)
            e.trace.append(TraceEntry(.importStatement, at: location))
            throw e
        }
        return .normal
    }

    func relativeName(_ path: String, _ context: RunContext) -> String {
        let basePath = context.baseDirectory.standardizedFileURL.path + "/"
        return path.hasPrefix(basePath) ? String(path.dropFirst(basePath.count)) : path
    }
}
