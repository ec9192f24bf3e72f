/// A function value: a builtin or a user-defined closure.
public final class Callable: @unchecked Sendable {
    /// What the function is.
    public enum Kind {
        case builtin(Builtin)
        case user(FunctionProto, captured: Frame?)
    }

    /// The builtin, for a builtin (read directly on the call path, no enum copy).
    let builtin: Builtin?
    /// The compiled function, for a user function.
    let proto: FunctionProto?
    /// The frame a user function was defined in.
    let captured: Frame?

    /// What the function is.
    public var kind: Kind {
        if let builtin { return .builtin(builtin) }
        guard let proto else { preconditionFailure("a callable is either a builtin or a user function") }
        return .user(proto, captured: captured)
    }

    /// Wraps a builtin.
    public init(builtin: Builtin) {
        self.builtin = builtin
        self.proto = nil
        self.captured = nil
    }

    init(proto: FunctionProto, captured: Frame?) {
        self.builtin = nil
        self.proto = proto
        self.captured = captured
    }

    /// The function's name (`<lambda>` for anonymous ones).
    public var name: String {
        switch kind {
        case .builtin(let b): return b.name
        case .user(let proto, _): return proto.name
        }
    }

    /// The parameter names in order.
    public var parameterNames: [String] {
        switch kind {
        case .builtin(let b): return b.parameters.map(\.name)
        case .user(let proto, _): return proto.parameters.map(\.name)
        }
    }

    /// The `##` doc comment of a user function.
    public var doc: String? {
        if case .user(let proto, _) = kind { return proto.doc }
        return nil
    }

    /// The name of the source a user function was defined in (`stdlib/core.prb`).
    public var sourceName: String? {
        if case .user(let proto, _) = kind { return proto.location.source.name }
        return nil
    }

    /// `name(a, b = 2)` for a user function, the builtin's signature otherwise.
    public var signature: String {
        switch kind {
        case .builtin(let b): return b.signature
        case .user(let proto, _):
            let params = proto.parameters.map { $0.defaultNode == nil ? $0.name : "\($0.name) = \($0.defaultText ?? "…")" }
            return "\(proto.name)(\(params.joined(separator: ", ")))"
        }
    }
}

/// The fixed part of a frame: the defining frame (for closures) and the slot count.
public struct FrameHeader {
    var parent: Frame?
    let slotCount: Int
    /// The next free frame of the same size while this one waits in `FramePool`.
    var nextFree: Unmanaged<Frame>?
    /// True once a closure captured this frame: it then lives as long as the closure and is
    /// never reused. (A closure is the only holder a frame can gain: the frames of calls to
    /// it name this one as their parent only through the closure.)
    var escaped = false
}

/// A local-variable frame of one function call, its slots allocated in the same block as
/// the object (one allocation per call). Closures keep their defining frame alive, so they
/// capture variables, not copies.
public final class Frame: ManagedBuffer<FrameHeader, Value?> {
    /// A frame with `slotCount` unassigned slots whose enclosing frame is `parent`.
    static func make(slotCount: Int, parent: Frame?) -> Frame {
        let count = max(slotCount, 1)
        let buffer = Frame.create(minimumCapacity: count) { _ in FrameHeader(parent: parent, slotCount: count) }
        let frame = unsafeDowncast(buffer, to: Frame.self)
        frame.withUnsafeMutablePointerToElements { $0.initialize(repeating: nil, count: count) }
        return frame
    }

    deinit {
        _ = withUnsafeMutablePointers { header, slots in slots.deinitialize(count: header.pointee.slotCount) }
    }

    /// Unassigns every slot and drops the enclosing frame, for reuse by `FramePool`.
    func clear() {
        let slots = self.slots
        for i in 0..<header.slotCount { slots[i] = nil }
        header.parent = nil
    }

    /// The local variables (nil until assigned). Slots are resolved at compile time, so
    /// indices are always in range; the pointer lives as long as the frame.
    @inline(__always)
    var slots: UnsafeMutablePointer<Value?> { withUnsafeMutablePointerToElements { $0 } }

    /// The frame the function was defined in.
    @inline(__always)
    var parent: Frame? { header.parent }

    /// The frame `depth` levels up the chain of defining frames.
    @inline(__always)
    func ancestor(_ depth: Int) -> Frame {
        var frame = self
        var remaining = depth
        while remaining > 0, let parent = frame.parent {
            frame = parent
            remaining -= 1
        }
        return frame
    }
}
