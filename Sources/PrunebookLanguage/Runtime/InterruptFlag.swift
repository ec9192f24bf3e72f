import Synchronization

/// A flag another thread (the SIGINT handler) sets to ask the running code to stop. Loops,
/// calls and long builtins poll it.
public final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    /// A cleared flag.
    public init() {}

    /// Asks the running code to stop.
    public func request() { flag.store(true, ordering: .relaxed) }

    /// Clears the request.
    public func clear() { flag.store(false, ordering: .relaxed) }

    /// True when a stop was requested.
    public var isRequested: Bool { flag.load(ordering: .relaxed) }
}
