/// A binary max-heap of BPE merge candidates ordered by score, then by leftmost position,
/// so the top is the pair run.c's quadratic scan would merge next.
struct MergeQueue {
    /// A pair of adjacent tokens whose concatenation is a piece.
    struct Candidate {
        /// Score of the merged piece.
        var score: Float
        /// Position (index into the initial token list) of the left token.
        var left: Int32
        /// Position of the right token.
        var right: Int32
        /// Left token id when offered.
        var leftID: Int32
        /// Right token id when offered.
        var rightID: Int32
        /// Id of the merged piece.
        var mergedID: Int32

        /// True when `self` should be merged before `other`.
        func precedes(_ other: Candidate) -> Bool {
            score > other.score || (score == other.score && left < other.left)
        }
    }

    private var heap: [Candidate] = []

    /// Reserves room for `count` candidates.
    mutating func reserveCapacity(_ count: Int) { heap.reserveCapacity(count) }

    /// Adds a candidate.
    mutating func push(_ candidate: Candidate) {
        heap.append(candidate)
        var child = heap.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard heap[child].precedes(heap[parent]) else { break }
            heap.swapAt(child, parent)
            child = parent
        }
    }

    /// Removes and returns the best candidate, nil when empty.
    mutating func pop() -> Candidate? {
        guard let last = heap.popLast() else { return nil }
        guard !heap.isEmpty else { return last }
        let top = heap[0]
        heap[0] = last
        var parent = 0
        while true {
            let left = 2 * parent + 1, right = left + 1
            var best = parent
            if left < heap.count && heap[left].precedes(heap[best]) { best = left }
            if right < heap.count && heap[right].precedes(heap[best]) { best = right }
            if best == parent { break }
            heap.swapAt(parent, best)
            parent = best
        }
        return top
    }
}
