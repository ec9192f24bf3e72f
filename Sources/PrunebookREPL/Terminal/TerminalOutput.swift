import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A writer to a file descriptor (stdout or stderr) that the session's output and error
/// callbacks feed. Unbuffered on a terminal, so progress appears as it is printed;
/// buffered otherwise, flushed after each input.
final class TerminalOutput {
    private let descriptor: Int32
    private let buffered: Bool
    private var buffer: [UInt8] = []

    /// A writer to `descriptor`; `buffered` keeps text until `flush()` (or 64 KiB).
    init(descriptor: Int32, buffered: Bool) {
        self.descriptor = descriptor
        self.buffered = buffered
    }

    /// Writes `text` (or queues it when buffered).
    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if !buffered || buffer.count > 1 << 16 { flush() }
    }

    /// Writes out everything queued, retrying short writes and `EINTR`.
    func flush() {
        guard !buffer.isEmpty else { return }
        buffer.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return }
            var offset = 0
            while offset < raw.count {
                let written = Foundation.write(descriptor, base + offset, raw.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { break }
                offset += written
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
