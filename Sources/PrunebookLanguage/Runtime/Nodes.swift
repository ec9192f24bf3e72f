import TensorModule

/// Compiled expression: evaluates in a frame. Names are already resolved to slots.
class ExprNode {
    let location: SourceLocation
    init(_ location: SourceLocation) { self.location = location }
    func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        preconditionFailure("evaluate is implemented by every node class")
    }
}

/// How a statement finished: normally, or by `break`, `continue` or `return`.
enum Flow {
    case normal, breakLoop, continueLoop, returned
}

/// Compiled statement.
class StmtNode {
    let location: SourceLocation
    init(_ location: SourceLocation) { self.location = location }
    func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        preconditionFailure("execute is implemented by every node class")
    }
}

/// Adds `location` to an error that has none yet.
func located(_ error: any Error, _ location: SourceLocation) -> PrunebookError {
    var e = asPrunebookError(error)
    if e.location == nil { e.location = location }
    return e
}

/// A compiled user function: parameters bound to slots, body, and what it needs to run.
public final class FunctionProto: @unchecked Sendable {
    struct Param {
        let name: String
        let defaultNode: ExprNode?
        let defaultText: String?
    }
    let name: String
    let parameters: [Param]
    let body: StatementBlock
    let slotCount: Int
    let doc: String?
    let location: SourceLocation
    /// True when the function is nested in another and so captures its frame.
    let capturesFrame: Bool

    init(name: String, parameters: [Param], body: StatementBlock, slotCount: Int, doc: String?, location: SourceLocation,
         capturesFrame: Bool) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.slotCount = slotCount
        self.doc = doc
        self.location = location
        self.capturesFrame = capturesFrame
    }
}

// MARK: expressions

final class ConstantNode: ExprNode {
    let value: Value
    init(_ value: Value, _ location: SourceLocation) {
        self.value = value
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value { value }
}

final class GlobalReadNode: ExprNode {
    let index: Int
    let name: String
    init(index: Int, name: String, _ location: SourceLocation) {
        self.index = index
        self.name = name
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        if let value = context.globals.values[index] { return value }
        throw unknownName(name, context, location)
    }
}

final class LocalReadNode: ExprNode {
    let depth: Int
    let slot: Int
    let name: String
    /// Read when the local has not been assigned yet: the enclosing binding of the name.
    let fallback: ExprNode?
    init(depth: Int, slot: Int, name: String, fallback: ExprNode?, _ location: SourceLocation) {
        self.depth = depth
        self.slot = slot
        self.name = name
        self.fallback = fallback
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        if depth == 0, let value = frame.slots[slot] { return value }
        return try evaluateSlow(frame, context)
    }

    /// A read through enclosing frames, or of a local not assigned yet.
    private func evaluateSlow(_ frame: Frame, _ context: RunContext) throws -> Value {
        let target = frame.ancestor(depth)
        if let value = target.slots[slot] { return value }
        if let fallback { return try fallback.evaluate(target.parent ?? target, context) }
        throw unknownName(name, context, location)
    }
}

func unknownName(_ name: String, _ context: RunContext, _ location: SourceLocation) -> PrunebookError {
    let candidates = context.globalNames
    let suggestion = closestName(to: name, among: candidates).map { " (did you mean `\($0)`?)" } ?? ""
    return PrunebookError(.name, "unknown name `\(name)`\(suggestion)", at: location)
}

final class ListNode: ExprNode {
    let elements: [ExprNode]
    init(_ elements: [ExprNode], _ location: SourceLocation) {
        self.elements = elements
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        var items: [Value] = []
        items.reserveCapacity(elements.count)
        for element in elements { items.append(try element.evaluate(frame, context)) }
        return .list(items)
    }
}

final class RecordNode: ExprNode {
    let keys: [String]
    let values: [ExprNode]
    init(keys: [String], values: [ExprNode], _ location: SourceLocation) {
        self.keys = keys
        self.values = values
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        var record = Record()
        record.fields.reserveCapacity(keys.count)
        for (key, node) in zip(keys, values) { record.fields[key] = try node.evaluate(frame, context) }
        return .record(record)
    }
}

final class FormatStringNode: ExprNode {
    enum Part {
        case text(String)
        case expression(ExprNode, spec: FormatSpec?)
    }
    let parts: [Part]
    init(_ parts: [Part], _ location: SourceLocation) {
        self.parts = parts
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        var out = ""
        for part in parts {
            switch part {
            case .text(let s): out += s
            case .expression(let node, let spec):
                let value = try node.evaluate(frame, context)
                if let spec {
                    do { out += try spec.format(value) } catch { throw located(error, node.location) }
                } else {
                    out += value.printText
                }
            }
        }
        return .string(out)
    }
}

final class UnaryNode: ExprNode {
    let op: UnaryOperator
    let operand: ExprNode
    init(_ op: UnaryOperator, _ operand: ExprNode, _ location: SourceLocation) {
        self.op = op
        self.operand = operand
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        let value = try operand.evaluate(frame, context)
        if op == .negate, case .number(let n) = value { return .number(-n) }
        if op == .not, case .bool(let b) = value { return .bool(!b) }
        do { return try unaryOperation(op, value) } catch { throw located(error, location) }
    }
}

final class BinaryNode: ExprNode {
    let op: BinaryOperator
    let left: ExprNode
    let right: ExprNode
    /// The elementwise tensor operation for `op` (nil for `@`).
    let tensorOp: BinaryOp?
    init(_ op: BinaryOperator, _ left: ExprNode, _ right: ExprNode, _ location: SourceLocation) {
        self.op = op
        self.left = left
        self.right = right
        self.tensorOp = PrunebookLanguage.tensorOp(op)
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        let a = try left.evaluate(frame, context)
        let b = try right.evaluate(frame, context)
        if case .number(let x) = a, case .number(let y) = b, let result = numberOperation(op, x, y) {
            return result
        }
        do {
            if let tensorOp { return try tensorFastPath(tensorOp, a, b) ?? binaryOperation(op, a, b) }
            return try binaryOperation(op, a, b)
        } catch {
            throw located(error, location)
        }
    }
}

final class LogicalNode: ExprNode {
    let isAnd: Bool
    let left: ExprNode
    let right: ExprNode
    init(isAnd: Bool, _ left: ExprNode, _ right: ExprNode, _ location: SourceLocation) {
        self.isAnd = isAnd
        self.left = left
        self.right = right
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        let a = try left.evaluate(frame, context)
        if case .bool(let x) = a {
            if isAnd && !x { return .bool(false) }
            if !isAnd && x { return .bool(true) }
            let b = try right.evaluate(frame, context)
            if case .bool = b { return b }
            throw PrunebookError(.type, "`\(isAnd ? "and" : "or")` needs bool operands, got bool and \(b.typeName)", at: location)
        }
        if case .tensor = a {
            let b = try right.evaluate(frame, context)
            do { return try elementwiseLogical(isAnd: isAnd, a, b) } catch { throw located(error, location) }
        }
        throw PrunebookError(.type, "`\(isAnd ? "and" : "or")` needs bool operands, got \(a.typeName)", at: location)
    }
}

final class FunctionNode: ExprNode {
    let proto: FunctionProto
    init(_ proto: FunctionProto) {
        self.proto = proto
        super.init(proto.location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        guard proto.capturesFrame else { return .function(Callable(proto: proto, captured: nil)) }
        frame.header.escaped = true
        return .function(Callable(proto: proto, captured: frame))
    }
}

final class FieldNode: ExprNode {
    let base: ExprNode
    let name: String
    /// Where `name` was in the last record read here (see `Value.recordField`).
    private var lastPosition = 0
    /// The slot of `base` when it is a local of the current frame.
    private let baseSlot: Int?
    init(base: ExprNode, name: String, _ location: SourceLocation) {
        self.base = base
        self.name = name
        self.baseSlot = (base as? LocalReadNode).flatMap { $0.depth == 0 ? $0.slot : nil }
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        // A record in a local of this frame is read where it lives, without copying it
        // (which would retain and release its storage).
        if let baseSlot, let field = frame.slots[baseSlot]?.recordField(name, cachedAt: &lastPosition) { return field }
        let value = try base.evaluate(frame, context)
        if let field = value.recordField(name, cachedAt: &lastPosition) { return field }
        do { return try getField(value, name, context: context) } catch { throw located(error, location) }
    }
}

final class IndexNode: ExprNode {
    let base: ExprNode
    let items: [IndexItemNode]
    init(base: ExprNode, items: [IndexItemNode], _ location: SourceLocation) {
        self.base = base
        self.items = items
        super.init(location)
    }
    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        let value = try base.evaluate(frame, context)
        if items.count == 1, case .value(let node) = items[0] {
            // `t[i]` and `xs[i]`, the common single index, without building index lists.
            let index = try node.evaluate(frame, context)
            do {
                if case .tensor(let t) = value, case .number(let n) = index, let i = exactInteger(n), t.ndim >= 1 {
                    return Value(tensorOrScalar: try t.indexed(at: i))
                }
                return try getIndex(value, [.value(index)])
            } catch {
                throw located(error, location)
            }
        }
        let indices = try evaluateIndexItems(items, frame, context)
        do { return try getIndex(value, indices) } catch { throw located(error, location) }
    }
}

/// One compiled subscript.
enum IndexItemNode {
    case value(ExprNode)
    case slice(ExprNode?, ExprNode?, ExprNode?)
}

func evaluateIndexItems(_ items: [IndexItemNode], _ frame: Frame, _ context: RunContext) throws -> [IndexValue] {
    var result: [IndexValue] = []
    result.reserveCapacity(items.count)
    for item in items {
        switch item {
        case .value(let node):
            result.append(.value(try node.evaluate(frame, context)))
        case .slice(let a, let b, let c):
            func bound(_ node: ExprNode?) throws -> Int? {
                guard let node else { return nil }
                let v = try node.evaluate(frame, context)
                if case .nilValue = v { return nil }
                guard case .number(let n) = v, n == n.rounded() else {
                    throw PrunebookError(.type, "slice bounds must be integers, got \(v.displayText)", at: node.location)
                }
                // Bounds clamp to the sequence, so a huge bound means the same as 2⁵³.
                return exactInteger(n) ?? (n < 0 ? -(1 << 53) : 1 << 53)
            }
            result.append(.slice(try bound(a), try bound(b), try bound(c)))
        }
    }
    return result
}

extension Value {
    /// Field `name` when this is a record that has it; `position` remembers where the last
    /// lookup found it (records built by the same code keep their fields in the same order,
    /// so the next lookup usually finds it there at once, without hashing the name).
    @inline(__always)
    func recordField(_ name: String, cachedAt position: inout Int) -> Value? {
        guard case .record(let r) = self else { return nil }
        let keys = r.fields.keys
        if position < keys.count, keys[position] == name { return r.fields.values[position] }
        guard let found = keys.firstIndex(of: name) else { return nil }
        position = found
        return r.fields.values[found]
    }
}
