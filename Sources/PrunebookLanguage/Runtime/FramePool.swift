/// Frames of finished calls kept for reuse, by slot count, so that a call allocates
/// nothing when a frame of its size is free: recursion and calls in loops cycle through
/// the same few frames. A frame a closure captured (`FrameHeader.escaped`) is never reused:
/// it lives as long as the closure.
///
/// Each size's free frames form a list linked through their headers (`nextFree`), held as
/// unmanaged +1 references: taking and returning a frame moves ownership without any
/// reference counting or array bookkeeping on the call path.
final class FramePool {
    /// The first free frame of each slot count (nil when there is none).
    private let heads: UnsafeMutablePointer<Unmanaged<Frame>?>
    /// How many free frames each slot count holds.
    private let counts: UnsafeMutablePointer<Int>
    /// Frames with more slots than this are not kept.
    static let largestSlotCount = 32
    /// At most this many free frames are kept per slot count.
    static let framesPerSize = 64

    init() {
        heads = .allocate(capacity: FramePool.largestSlotCount + 1)
        heads.initialize(repeating: nil, count: FramePool.largestSlotCount + 1)
        counts = .allocate(capacity: FramePool.largestSlotCount + 1)
        counts.initialize(repeating: 0, count: FramePool.largestSlotCount + 1)
    }

    deinit {
        for size in 0...FramePool.largestSlotCount {
            while let free = heads[size] {
                let frame = free.takeRetainedValue()
                heads[size] = frame.header.nextFree
            }
        }
        heads.deallocate()
        counts.deallocate()
    }

    /// A frame with `slotCount` unassigned slots whose enclosing frame is `parent`, owned by
    /// the caller (+1, unmanaged) until it hands it back to `recycle`.
    @inline(__always)
    func take(slotCount: Int, parent: Frame?) -> Unmanaged<Frame> {
        let count = max(slotCount, 1)
        if count <= FramePool.largestSlotCount, let free = heads[count] {
            free._withUnsafeGuaranteedRef { frame in
                heads[count] = frame.header.nextFree
                frame.header.nextFree = nil
                frame.header.parent = parent
            }
            counts[count] -= 1
            return free
        }
        return Unmanaged.passRetained(Frame.make(slotCount: count, parent: parent))
    }

    /// Takes back a frame from `take` (the caller's reference ends here): kept for reuse,
    /// its slots cleared, unless a closure captured it.
    @inline(__always)
    func recycle(_ frame: Unmanaged<Frame>) {
        // The slot count when the frame goes back to its free list, nil when it does not.
        let kept = frame._withUnsafeGuaranteedRef { f -> Int? in
            let count = f.header.slotCount
            guard !f.header.escaped, count <= FramePool.largestSlotCount, counts[count] < FramePool.framesPerSize else {
                return nil
            }
            f.clear()
            f.header.nextFree = heads[count]
            return count
        }
        guard let count = kept else {
            frame.release()
            return
        }
        heads[count] = frame
        counts[count] += 1
    }
}
