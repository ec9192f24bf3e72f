/// A call `f(a, b, name: c)`.
final class CallNode: ExprNode {
    let callee: ExprNode
    let positional: [ExprNode]
    /// `positional` unretained, for the fast path (the array keeps the nodes alive).
    private let unretainedPositional: [Unmanaged<ExprNode>]
    let named: [(name: String, node: ExprNode)]
    /// The name of the function containing this call (nil at top level), for traces.
    let enclosingFunction: String?
    /// The global slot of the callee when it is a global name.
    let globalCallee: Int?

    init(callee: ExprNode, positional: [ExprNode], named: [(name: String, node: ExprNode)], enclosingFunction: String?, _ location: SourceLocation) {
        self.callee = callee
        self.positional = positional
        self.unretainedPositional = positional.map { Unmanaged.passUnretained($0) }
        self.named = named
        self.enclosingFunction = enclosingFunction
        self.globalCallee = (callee as? GlobalReadNode)?.index
        super.init(location)
    }

    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        if let callable = globalFunction(context) { return try call(callable, prefix: nil, frame, context) }
        let function = try callee.evaluate(frame, context)
        guard case .function(let callable) = function else {
            throw PrunebookError(.type, "cannot call a \(function.typeName)", at: location)
        }
        return try call(callable, prefix: nil, frame, context)
    }

    /// The callee when it is a global name bound to a function (the usual case), read
    /// straight from its slot; nil for anything else.
    @inline(__always)
    func globalFunction(_ context: RunContext) -> Callable? {
        guard let globalCallee,
              case .function(let callable)? = context.globals.values.withUnsafeBufferPointer({ $0[globalCallee] }) else { return nil }
        return callable
    }

    /// Evaluates the arguments (after `prefix`, the receiver of a method call) and calls.
    func call(_ callable: Callable, prefix: Value?, _ frame: Frame, _ context: RunContext) throws -> Value {
        if let proto = callable.proto, named.isEmpty,
           positional.count + (prefix == nil ? 0 : 1) <= proto.parameters.count {
            return try callPositional(proto, captured: callable.captured, prefix: prefix, frame, context)
        }
        return try callBound(callable, prefix: prefix, frame, context)
    }

    /// The fast path: positional arguments go straight into the callee's frame.
    private func callPositional(_ proto: FunctionProto, captured: Frame?, prefix: Value?, _ frame: Frame, _ context: RunContext) throws -> Value {
        let owned = context.framePool.take(slotCount: proto.slotCount, parent: captured)
        defer { context.framePool.recycle(owned) }
        return try owned._withUnsafeGuaranteedRef { calleeFrame in
            let slots = calleeFrame.slots
            var filled = 0
            if let prefix {
                slots[0] = prefix
                filled = 1
            }
            try unretainedPositional.withUnsafeBufferPointer { nodes in
                for node in nodes {
                    // The frame's slots are all unassigned (nil), so there is nothing to destroy.
                    (slots + filled).initialize(to: try node._withUnsafeGuaranteedRef { try $0.evaluate(frame, context) })
                    filled += 1
                }
            }
            do {
                return try context.execute(proto, in: calleeFrame, positionalCount: filled, callSite: location)
            } catch {
                throw traced(error)
            }
        }
    }

    /// The general path: arguments bound by name, defaults, builtins.
    @inline(never)
    private func callBound(_ callable: Callable, prefix: Value?, _ frame: Frame, _ context: RunContext) throws -> Value {
        var arguments: [Value] = []
        arguments.reserveCapacity(positional.count + 1)
        if let prefix { arguments.append(prefix) }
        for node in positional { arguments.append(try node.evaluate(frame, context)) }
        var namedValues: [(String, Value)] = []
        if !named.isEmpty {
            namedValues.reserveCapacity(named.count)
            for (name, node) in named { namedValues.append((name, try node.evaluate(frame, context))) }
        }
        return try invoke(callable, arguments, namedValues, hasPrefix: prefix != nil, context)
    }

    /// Calls with arguments already evaluated, locating errors at this call's arguments.
    func invoke(_ callable: Callable, _ arguments: [Value], _ namedValues: [(String, Value)], hasPrefix: Bool,
                _ context: RunContext) throws -> Value {
        do {
            return try context.invoke(callable, positional: arguments, named: namedValues, callSite: location)
        } catch let error as ArgumentError {
            var e = error.prunebookError
            e.location = argumentLocation(error, hasPrefix: hasPrefix, callable: callable) ?? location
            throw e
        } catch {
            throw traced(error)
        }
    }

    /// An error leaving this call: located here when it has no location yet (a builtin's
    /// error), else with this call site added to its `called from` trace.
    func traced(_ error: any Error) -> PrunebookError {
        var e = asPrunebookError(error)
        if e.location == nil {
            e.location = location
        } else {
            e.trace.append(TraceEntry(.call(enclosingFunction: enclosingFunction), at: location))
        }
        return e
    }

    /// The location of the argument an ArgumentError is about.
    func argumentLocation(_ error: ArgumentError, hasPrefix: Bool, callable: Callable) -> SourceLocation? {
        if let name = error.argumentName ?? error.parameter, let match = named.first(where: { $0.name == name }) {
            return match.node.location
        }
        guard let parameter = error.parameter,
              var index = callable.parameterNames.firstIndex(of: parameter) else { return nil }
        // A keyword-only parameter (after a variadic one) has no positional argument.
        if let variadic = callable.builtin?.parameters.firstIndex(where: \.variadic), index > variadic { return nil }
        if hasPrefix { index -= 1 }
        if index >= 0 && index < positional.count { return positional[index].location }
        return nil
    }
}

/// `x.f(a)`: calls the field `f` of `x` when it has one, else the function `f` with `x`
/// prepended (uniform function call syntax).
final class MethodCallNode: ExprNode {
    let receiver: ExprNode
    let name: String
    let function: ExprNode
    let call: CallNode

    init(receiver: ExprNode, name: String, function: ExprNode, call: CallNode, _ location: SourceLocation) {
        self.receiver = receiver
        self.name = name
        self.function = function
        self.call = call
        super.init(location)
    }

    override func evaluate(_ frame: Frame, _ context: RunContext) throws -> Value {
        let base = try receiver.evaluate(frame, context)
        if let field = ownField(base, name) {
            guard case .function(let callable) = field else {
                throw PrunebookError(.type, "field `\(name)` is a \(field.typeName), not a function", at: location)
            }
            return try call.call(callable, prefix: nil, frame, context)
        }
        let target: Value
        do {
            target = try function.evaluate(frame, context)
        } catch var error as PrunebookError where error.kind == .name {
            error.message = "\(base.typeName) has no field or method `\(name)`"
            throw error
        }
        guard case .function(let callable) = target else {
            throw PrunebookError(.type, "`\(name)` is a \(target.typeName), not a function", at: location)
        }
        return try call.call(callable, prefix: base, frame, context)
    }
}

extension RunContext {
    /// Calls a function value with bound arguments; `callSite` is used for limit errors.
    func invoke(_ callable: Callable, positional: [Value], named: [(String, Value)], callSite: SourceLocation?) throws -> Value {
        if let builtin = callable.builtin {
            let arguments = try Arguments(binding: positional, named: named, to: builtin)
            return try builtin.body(arguments, self)
        }
        guard let proto = callable.proto else { preconditionFailure("a callable is either a builtin or a user function") }
        let frame = Frame.make(slotCount: proto.slotCount, parent: callable.captured)
        try bindParameters(proto, positional, named, frame)
        return try execute(proto, in: frame, positionalCount: proto.parameters.count, callSite: callSite)
    }

    /// Runs a user function in `frame`, whose first `positionalCount` parameter slots are
    /// filled; missing parameters get their defaults (or are an error).
    func execute(_ proto: FunctionProto, in frame: Frame, positionalCount: Int, callSite: SourceLocation?) throws -> Value {
        callDepth += 1
        defer { callDepth -= 1 }
        if callDepth > limits.callDepth {
            throw PrunebookError(.limit, "call depth exceeded the limit of \(limits.callDepth) (runaway recursion?)", at: callSite)
        }
        // Like loops: a recursion that never loops (a call tree) must still meet the deadline.
        if interrupt.isRequested || deadline != nil { try checkInterrupt() }
        if positionalCount < proto.parameters.count {
            try fillDefaults(proto, frame, from: positionalCount)
        }
        guard case .returned = try proto.body.run(frame, self) else { return .nilValue }
        // Moved out, not copied: `returnValue` is `nil` again for the next `return`.
        var value = Value.nilValue
        swap(&value, &returnValue)
        return value
    }

    func bindParameters(_ proto: FunctionProto, _ positional: [Value], _ named: [(String, Value)], _ frame: Frame) throws {
        let parameters = proto.parameters
        if positional.count > parameters.count {
            throw PrunebookError(.type, "`\(proto.name)` takes \(parameters.count) argument\(parameters.count == 1 ? "" : "s"), got \(positional.count)")
        }
        for (i, value) in positional.enumerated() { frame.slots[i] = value }
        for (name, value) in named {
            guard let i = parameters.firstIndex(where: { $0.name == name }) else {
                let suggestion = closestName(to: name, among: parameters.map(\.name)).map { " (did you mean `\($0)`?)" } ?? ""
                throw PrunebookError(.type, "`\(proto.name)` has no parameter `\(name)`\(suggestion)")
            }
            if frame.slots[i] != nil {
                throw PrunebookError(.type, "`\(proto.name)` got two values for `\(name)`")
            }
            frame.slots[i] = value
        }
        try fillDefaults(proto, frame, from: 0)
    }

    /// Evaluates the defaults of parameters from index `start` on that have no value yet.
    func fillDefaults(_ proto: FunctionProto, _ frame: Frame, from start: Int) throws {
        let parameters = proto.parameters
        for i in start..<parameters.count where frame.slots[i] == nil {
            guard let node = parameters[i].defaultNode else {
                throw PrunebookError(.type, "`\(proto.name)` is missing the argument `\(parameters[i].name)`")
            }
            frame.slots[i] = try node.evaluate(frame, self)
        }
    }
}

/// A field the value itself carries (record fields, handle fields), which a method call
/// prefers over a function of the same name.
func ownField(_ value: Value, _ name: String) -> Value? {
    switch value {
    case .record(let r): return r.fields[name]
    case .handle(let h): return h.field(name)
    default: return nil
    }
}
