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

    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        let slots = frame.slots
        if case .number(let x)? = slots[leftSlot] {
            switch right {
            case .number(let y):
                if let result = numberOperation(op, x, y) { return result }
            case .slot(let s):
                if case .number(let y)? = slots[s], let result = numberOperation(op, x, y) { return result }
            }
        }
        return try general.evaluate(frame, context)
    }
}
