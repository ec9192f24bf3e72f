/// Maps data values in `lo...hi` linearly onto dot or cell positions `0..<count`.
struct LinearScale: Sendable, Equatable {
    /// The value at position 0.
    let lo: Double
    /// The value at position `count - 1`.
    let hi: Double
    /// The number of positions.
    let count: Int

    /// The nearest position of `value`, clamped to `0..<count`; the middle when `lo == hi`.
    func position(_ value: Double) -> Int {
        guard count > 1 else { return 0 }
        guard hi > lo else { return (count - 1) / 2 }
        let f = (value - lo) / (hi - lo) * Double(count - 1)
        guard f.isFinite else { return f > 0 ? count - 1 : 0 }
        return min(count - 1, max(0, Int(f.rounded())))
    }

    /// Like `position`, counted from the other end (for y, which grows downward on screen).
    func flippedPosition(_ value: Double) -> Int { count - 1 - position(value) }
}
