/// A shortest edit script between two sequences of line ids, by Myers' O(ND) algorithm in linear space.
///
/// E. W. Myers, "An O(ND) Difference Algorithm and Its Variations", Algorithmica 1 (1986), section 4b:
/// find the middle snake of a shortest path by searching forward from the start and backward from the
/// end at once, then recurse on the two halves. Time O((N+M)·D), memory O(N+M).
struct LineDiff {
    /// One step of the edit script.
    enum Edit: Equatable {
        /// `old[oldIndex]` equals `new[newIndex]`.
        case keep(oldIndex: Int, newIndex: Int)
        /// `old[oldIndex]` is removed.
        case delete(oldIndex: Int)
        /// `new[newIndex]` is added.
        case insert(newIndex: Int)
    }

    private let old: [Int]
    private let new: [Int]
    /// The (old, new) index pairs kept, in increasing order of both.
    private var kept: [(Int, Int)] = []

    /// The edit script turning `old` into `new`: within a change, deletions come before insertions.
    ///
    /// Lines that occur on one side only cannot be kept, so they are set aside before the search (as GNU diff
    /// does): the script stays a shortest one, and outputs whose every line changed cost O(N+M).
    static func edits(old: [Int], new: [Int]) -> [Edit] {
        let oldIDs = Set(old), newIDs = Set(new)
        let oldCandidates = old.indices.filter { newIDs.contains(old[$0]) }
        let newCandidates = new.indices.filter { oldIDs.contains(new[$0]) }
        var diff = LineDiff(old: oldCandidates.map { old[$0] }, new: newCandidates.map { new[$0] })
        diff.compare(oldRange: 0..<oldCandidates.count, newRange: 0..<newCandidates.count)
        let kept = diff.kept.map { (oldCandidates[$0.0], newCandidates[$0.1]) }
        var edits: [Edit] = []
        edits.reserveCapacity(old.count + new.count - kept.count)
        var oldIndex = 0
        var newIndex = 0
        for (oldKept, newKept) in kept + [(old.count, new.count)] {
            while oldIndex < oldKept {
                edits.append(.delete(oldIndex: oldIndex))
                oldIndex += 1
            }
            while newIndex < newKept {
                edits.append(.insert(newIndex: newIndex))
                newIndex += 1
            }
            if oldKept < old.count {
                edits.append(.keep(oldIndex: oldKept, newIndex: newKept))
                oldIndex += 1
                newIndex += 1
            }
        }
        return edits
    }

    private init(old: [Int], new: [Int]) {
        self.old = old
        self.new = new
    }

    /// Appends to `kept` the pairs of a longest common subsequence of the two ranges.
    private mutating func compare(oldRange: Range<Int>, newRange: Range<Int>) {
        var oldLow = oldRange.lowerBound, oldHigh = oldRange.upperBound
        var newLow = newRange.lowerBound, newHigh = newRange.upperBound
        while oldLow < oldHigh, newLow < newHigh, old[oldLow] == new[newLow] {
            kept.append((oldLow, newLow))
            oldLow += 1
            newLow += 1
        }
        var suffix = 0
        while oldLow < oldHigh, newLow < newHigh, old[oldHigh - 1] == new[newHigh - 1] {
            oldHigh -= 1
            newHigh -= 1
            suffix += 1
        }
        if oldLow < oldHigh, newLow < newHigh {
            let snake = middleSnake(oldRange: oldLow..<oldHigh, newRange: newLow..<newHigh)
            let shrinks = (snake.startOld, snake.startNew) != (oldHigh, newHigh)
                && (snake.endOld, snake.endNew) != (oldLow, newLow)
            precondition(shrinks, "the middle snake must split the problem in two smaller ones")
            compare(oldRange: oldLow..<snake.startOld, newRange: newLow..<snake.startNew)
            for step in 0..<(snake.endOld - snake.startOld) {
                kept.append((snake.startOld + step, snake.startNew + step))
            }
            compare(oldRange: snake.endOld..<oldHigh, newRange: snake.endNew..<newHigh)
        }
        for step in 0..<suffix {
            kept.append((oldHigh + step, newHigh + step))
        }
    }

    /// The middle snake of a shortest edit path between two non-empty ranges, in absolute indices.
    private func middleSnake(
        oldRange: Range<Int>, newRange: Range<Int>
    ) -> (startOld: Int, startNew: Int, endOld: Int, endNew: Int) {
        let oldBase = oldRange.lowerBound, newBase = newRange.lowerBound
        let n = oldRange.count, m = newRange.count
        let delta = n - m
        let deltaIsOdd = delta & 1 != 0
        let maxD = (n + m + 1) / 2
        let offset = maxD + 1
        // forward[k + offset]: furthest x on diagonal k = x - y from (0, 0);
        // backward[c + offset]: furthest x' on diagonal c = x' - y' from (n, m), with x' = n - x, y' = m - y.
        var forward = [Int](repeating: 0, count: 2 * offset + 1)
        var backward = [Int](repeating: 0, count: 2 * offset + 1)
        return old.withUnsafeBufferPointer { oldLines in
            new.withUnsafeBufferPointer { newLines in
                for d in 0...maxD {
                    for k in stride(from: -d, through: d, by: 2) {
                        var x = k == -d || (k != d && forward[k - 1 + offset] < forward[k + 1 + offset])
                            ? forward[k + 1 + offset] : forward[k - 1 + offset] + 1
                        var y = x - k
                        let startX = x, startY = y
                        while x < n, y < m, oldLines[oldBase + x] == newLines[newBase + y] {
                            x += 1
                            y += 1
                        }
                        forward[k + offset] = x
                        let c = delta - k
                        if deltaIsOdd, c >= -(d - 1), c <= d - 1, x + backward[c + offset] >= n {
                            return (oldBase + startX, newBase + startY, oldBase + x, newBase + y)
                        }
                    }
                    for c in stride(from: -d, through: d, by: 2) {
                        var x = c == -d || (c != d && backward[c - 1 + offset] < backward[c + 1 + offset])
                            ? backward[c + 1 + offset] : backward[c - 1 + offset] + 1
                        var y = x - c
                        let startX = x, startY = y
                        while x < n, y < m, oldLines[oldBase + n - 1 - x] == newLines[newBase + m - 1 - y] {
                            x += 1
                            y += 1
                        }
                        backward[c + offset] = x
                        let k = delta - c
                        if !deltaIsOdd, k >= -d, k <= d, x + forward[k + offset] >= n {
                            return (oldBase + n - x, newBase + m - y, oldBase + n - startX, newBase + m - startY)
                        }
                    }
                }
                preconditionFailure("a shortest edit path has at most n + m steps")
            }
        }
    }
}
