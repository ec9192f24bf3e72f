/// Frames of finished calls kept for reuse, by slot count, so that a call allocates
/// nothing when a frame of its size is free: recursion and calls in loops cycle through
/// the same few frames. A frame is only reused when nothing else holds it (a closure that
/// captured it keeps it for itself).
final class FramePool {
    /// Free frames, indexed by slot count.
    private var free: [[Frame]] = Array(repeating: [], count: FramePool.largestSlotCount + 1)
    /// Frames with more slots than this are not kept.
    static let largestSlotCount = 32
    /// At most this many free frames are kept per slot count.
    static let framesPerSize = 64

    /// A frame with `slotCount` unassigned slots whose enclosing frame is `parent`.
    @inline(__always)
    func take(slotCount: Int, parent: Frame?) -> Frame {
        let count = max(slotCount, 1)
        if count <= FramePool.largestSlotCount, let frame = free[count].popLast() {
            frame.header.parent = parent
            return frame
        }
        return Frame.make(slotCount: count, parent: parent)
    }

    /// Takes `frame` back when nothing else references it, clearing its slots.
    @inline(__always)
    func recycle(_ frame: inout Frame) {
        guard isKnownUniquelyReferenced(&frame) else { return }
        let count = frame.header.slotCount
        guard count <= FramePool.largestSlotCount, free[count].count < FramePool.framesPerSize else { return }
        frame.clear()
        free[count].append(frame)
    }
}
