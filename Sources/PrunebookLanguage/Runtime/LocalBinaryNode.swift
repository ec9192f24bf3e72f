/// `a op b` where `a` is a local of the current frame and `b` another such local or a number
/// literal: the shapes of loop and recursion arithmetic (`i < n`, `n - 1`, `i * i`). When both
/// hold numbers they are read where they live, without copying a `Value`; anything else (a
/// tensor, an unassigned local, `@`) runs the general node, which reads them again — reads
/// of locals and literals have no side effects, so the result and errors are the same.
final class LocalBinaryNode: ExprNode {
    /// The right operand.
    enum Right {
        case slot(Int)
        case number(Double)
    }

    let op: BinaryOperator
    let leftSlot: Int
    let right: Right
    let general: BinaryNode

    /// The specialised node for `general` when its operands have one of the shapes above.
    static func make(_ general: BinaryNode) -> ExprNode {
        guard let left = general.left as? LocalReadNode, left.depth == 0 else { return general }
        if let constant = general.right as? ConstantNode, case .number(let y) = constant.value {
            return LocalBinaryNode(general, leftSlot: left.slot, right: .number(y))
        }
        if let read = general.right as? LocalReadNode, read.depth == 0 {
            return LocalBinaryNode(general, leftSlot: left.slot, right: .slot(read.slot))
        }
        return general
    }

    private init(_ general: BinaryNode, leftSlot: Int, right: Right) {
        self.op = general.op
        self.leftSlot = leftSlot
        self.right = right
        self.general = general
        super.init(general.location)
    }

    /// The two operands when both hold numbers, read where they live.
    @inline(__always)
    private func numbers(_ frame: Frame) -> (Double, Double)? {
        let slots = frame.slots
        guard case .number(let x)? = slots[leftSlot] else { return nil }
        switch right {
        case .number(let y): return (x, y)
        case .slot(let s):
            guard case .number(let y)? = slots[s] else { return nil }
            return (x, y)
        }
    }

    /// For a comparison, its result when both operands hold numbers (nil otherwise): what an
    /// `if` or `while` condition needs.
    @inline(__always)
    func numericComparison(_ frame: Frame) -> Bool? {
        guard let (x, y) = numbers(frame), case .bool(let answer)? = numberOperation(op, x, y) else { return nil }
        return answer
    }

    /// True for the comparison operators, whose number result is a bool.
    var isComparison: Bool {
        switch op {
        case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: return true
        default: return false
        }
    }

    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        if let (x, y) = numbers(frame), let result = numberOperation(op, x, y) { return result }
        return try general.evaluate(frame, context)
    }
}
