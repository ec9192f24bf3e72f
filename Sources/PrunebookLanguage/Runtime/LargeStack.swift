#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs `body` on a new thread with a large stack (default 1 GiB of address space, touched
/// only as used), so deep recursion in the interpreter reaches the language's call-depth
/// limit before the native stack runs out. Blocks until `body` returns.
public func runOnLargeStack<T>(stackBytes: Int = 1 << 30, _ body: @escaping () -> T) -> T {
    var result: T?
    let box = LargeStackJob()
    box.body = { result = body() }
    var attributes = pthread_attr_t()
    pthread_attr_init(&attributes)
    pthread_attr_setstacksize(&attributes, stackBytes)
    var thread = pthread_t()
    let unmanaged = Unmanaged.passRetained(box)
    let status = pthread_create(&thread, &attributes, { raw in
        guard let raw else { return nil }
        let box = Unmanaged<LargeStackJob>.fromOpaque(raw).takeRetainedValue()
        box.body?()
        return nil
    }, unmanaged.toOpaque())
    pthread_attr_destroy(&attributes)
    if status != 0 {
        unmanaged.release()
        return body()
    }
    pthread_join(thread, nil)
    guard let result else { preconditionFailure("large-stack thread finished without a result") }
    return result
}

/// The work handed to the large-stack thread.
private final class LargeStackJob: @unchecked Sendable {
    var body: (() -> Void)?
}
