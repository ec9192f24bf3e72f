/// An assignment target: a variable, or an index or field of another target. Nested
/// targets (`model.layers[0].wq = w`) update the whole value in place (copy-on-write) and
/// rebind it.
class LValueNode {
    let location: SourceLocation
    init(_ location: SourceLocation) { self.location = location }

    /// Replaces the target's value.
    func store(_ value: Value, _ frame: Frame, _ context: RunContext) throws {
        try modify(frame, context) { $0 = value }
    }

    /// Changes the target's value in place.
    func modify(_ frame: Frame, _ context: RunContext, _ body: (inout Value) throws -> Void) throws {
        preconditionFailure("modify is implemented by every target class")
    }
}

final class GlobalTarget: LValueNode {
    let index: Int
    let name: String
    init(index: Int, name: String, _ location: SourceLocation) {
        self.index = index
        self.name = name
        super.init(location)
    }
    override func store(_ value: Value, _ frame: Frame, _ context: RunContext) throws {
        context.globals.bind(index, value)
    }
    override func modify(_ frame: Frame, _ context: RunContext, _ body: (inout Value) throws -> Void) throws {
        guard var value = context.globals.values[index] else { throw unknownName(name, context, location) }
        context.globals.writes &+= 1
        context.globals.values[index] = nil
        defer { context.globals.values[index] = value }
        try body(&value)
    }
}

final class LocalTarget: LValueNode {
    let depth: Int
    let slot: Int
    let name: String
    let fallback: ExprNode?
    init(depth: Int, slot: Int, name: String, fallback: ExprNode?, _ location: SourceLocation) {
        self.depth = depth
        self.slot = slot
        self.name = name
        self.fallback = fallback
        super.init(location)
    }
    @inline(__always)
    func frame(_ frame: Frame) -> Frame {
        depth == 0 ? frame : frame.ancestor(depth)
    }
    override func store(_ value: Value, _ frame: Frame, _ context: RunContext) throws {
        self.frame(frame).slots[slot] = value
    }
    /// The slot in the current frame this target names, when it is in the current frame
    /// (the statements' fast paths write it directly).
    var currentFrameSlot: Int? { depth == 0 ? slot : nil }
    override func modify(_ frame: Frame, _ context: RunContext, _ body: (inout Value) throws -> Void) throws {
        let target = self.frame(frame)
        var value: Value
        if let current = target.slots[slot] {
            value = current
        } else if let fallback {
            value = try fallback.evaluate(target.parent ?? target, context)
        } else {
            throw unknownName(name, context, location)
        }
        target.slots[slot] = nil
        defer { target.slots[slot] = value }
        try body(&value)
    }
}

final class IndexTarget: LValueNode {
    let base: LValueNode
    let items: [IndexItemNode]
    init(base: LValueNode, items: [IndexItemNode], _ location: SourceLocation) {
        self.base = base
        self.items = items
        super.init(location)
    }
    override func store(_ value: Value, _ frame: Frame, _ context: RunContext) throws {
        let indices = try evaluateIndexItems(items, frame, context)
        let location = self.location
        try base.modify(frame, context) { container in
            do { try setIndex(&container, indices, value) } catch { throw located(error, location) }
        }
    }
    override func modify(_ frame: Frame, _ context: RunContext, _ body: (inout Value) throws -> Void) throws {
        let indices = try evaluateIndexItems(items, frame, context)
        let location = self.location
        try base.modify(frame, context) { container in
            do { try modifyIndex(&container, indices, body) } catch { throw located(error, location) }
        }
    }
}

final class FieldTarget: LValueNode {
    let base: LValueNode
    let name: String
    init(base: LValueNode, name: String, _ location: SourceLocation) {
        self.base = base
        self.name = name
        super.init(location)
    }
    override func store(_ value: Value, _ frame: Frame, _ context: RunContext) throws {
        let name = self.name
        let location = self.location
        try base.modify(frame, context) { container in
            do { try setField(&container, name, value) } catch { throw located(error, location) }
        }
    }
    override func modify(_ frame: Frame, _ context: RunContext, _ body: (inout Value) throws -> Void) throws {
        let name = self.name
        let location = self.location
        try base.modify(frame, context) { container in
            do { try modifyField(&container, name, context: context, body) } catch { throw located(error, location) }
        }
    }
}
