/// `xs = f(xs, y)` where `xs` is a variable (a local of the current frame or a global) and
/// `f` names a function. When `f` turns out to be a builtin with an in-place form
/// (`append`, `extend`) and `xs` holds a list, the list is changed where it lives instead of
/// copied, so `xs = append(xs, x)` in a loop is linear rather than quadratic. Any other
/// case runs as the plain assignment, with the same result and errors.
final class UpdateInPlaceStatement: StmtNode {
    /// Where the variable lives.
    enum Variable {
        case local(slot: Int)
        case global(index: Int)
    }

    let variable: Variable
    let call: CallNode
    /// The plain assignment, for every case the in-place form does not cover.
    let plain: AssignStatement

    /// The statement for `target = call`, or nil when it is not of the form `xs = f(xs, y)`
    /// with two positional arguments and `f` a name.
    static func make(target: LValueNode, call: ExprNode, _ location: SourceLocation) -> StmtNode? {
        guard let call = call as? CallNode, call.named.isEmpty, call.positional.count == 2, let first = call.positional.first,
              call.callee is GlobalReadNode || call.callee is LocalReadNode else { return nil }
        let variable: Variable
        if let local = target as? LocalTarget, let slot = local.currentFrameSlot,
           let read = first as? LocalReadNode, read.depth == 0, read.slot == slot {
            variable = .local(slot: slot)
        } else if let global = target as? GlobalTarget, let read = first as? GlobalReadNode, read.index == global.index {
            variable = .global(index: global.index)
        } else {
            return nil
        }
        return UpdateInPlaceStatement(variable: variable, call: call,
                                      plain: AssignStatement(target: target, value: call, location))
    }

    private init(variable: Variable, call: CallNode, plain: AssignStatement) {
        self.variable = variable
        self.call = call
        self.plain = plain
        super.init(plain.location)
    }

    override func execute(_ frame: Frame, _ context: RunContext) throws -> Flow {
        // The callee is a name, so reading it here and again in the plain assignment is harmless.
        guard let callable = try callee(frame, context), let update = callable.builtin?.update, isBound(frame, context) else {
            return try plain.execute(frame, context)
        }
        // Evaluating an expression never rebinds a variable of the current frame
        // (assignments are statements and a nested function's assignments are its own
        // locals), so reading a local `xs` after `y` reads the value the plain call would.
        // A global can be rebound while `y` runs (a called function imports a file), so its
        // value is held until `y` is known not to have changed any global.
        var held: Value?
        var writes = 0
        if case .global(let index) = variable {
            held = context.globals.values[index]
            writes = context.globals.writes
        }
        let other = try call.positional[1].evaluate(frame, context)
        if let old = held {
            held = nil
            if context.globals.writes != writes {
                try assignCall(callable, old, other, frame, context)
                return .normal
            }
        }
        // Moved out of the variable, the list is uniquely referenced and grows in place.
        guard var current = take(frame, context) else { preconditionFailure("`xs` was bound a moment ago") }
        let done = update(&current, other)
        put(current, frame, context)
        if !done { try assignCall(callable, current, other, frame, context) }
        return .normal
    }

    /// The plain form once both arguments are known: `xs = f(first, other)`.
    private func assignCall(_ callable: Callable, _ first: Value, _ other: Value, _ frame: Frame, _ context: RunContext) throws {
        try plain.target.store(try call.invoke(callable, [first, other], [], hasPrefix: false, context), frame, context)
    }

    /// The function the call names, nil when the name holds something else.
    @inline(__always)
    private func callee(_ frame: Frame, _ context: RunContext) throws -> Callable? {
        if let callable = call.globalFunction(context) { return callable }
        guard case .function(let callable) = try call.callee.evaluate(frame, context) else { return nil }
        return callable
    }

    private func isBound(_ frame: Frame, _ context: RunContext) -> Bool {
        switch variable {
        case .local(let slot): return frame.slots[slot] != nil
        case .global(let index): return context.globals.values[index] != nil
        }
    }

    private func take(_ frame: Frame, _ context: RunContext) -> Value? {
        switch variable {
        case .local(let slot): return frame.slots[slot].take()
        case .global(let index): return context.globals.values[index].take()
        }
    }

    /// Puts the value `take` moved out back into the (now unassigned) variable.
    private func put(_ value: consuming Value, _ frame: Frame, _ context: RunContext) {
        switch variable {
        case .local(let slot): (frame.slots + slot).initialize(to: value)
        case .global(let index): context.globals.values[index] = value
        }
    }
}
