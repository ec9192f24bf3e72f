/// The optimal transposable n:m mask, block by block (algorithms.md §9; the reference TSENOR,
/// arXiv 2505.23949, is measured against): each aligned m×m block keeps the pattern with
/// exactly n per row and column of largest total `|score|`. For m ≤ 5 every pattern is
/// enumerated (90 at 2:4); for m ≤ 8 a min-cost flow finds it (source→row cap n, row→column
/// cap 1 cost −score, column→sink cap n; totally unimodular, so the optimum is integral).
/// Masks are row-major `[Bool]`, `true` = kept.
public enum TransposableExact {
    /// The largest block size enumeration handles.
    public static let enumerationLimit = 5
    /// The largest block size handled at all.
    public static let flowLimit = 8

    /// The optimal mask: enumeration for m ≤ 5, min-cost flow for m ≤ 8, an error above.
    public static func mask(_ scores: ScoreMatrix, n: Int, m: Int) throws(PruningError) -> [Bool] {
        m <= enumerationLimit ? try enumerationMask(scores, n: n, m: m) : try flowMask(scores, n: n, m: m)
    }

    /// Every m×m 0/1 pattern with exactly n per row and column, each as its kept cells
    /// `i·m + j` (ascending), in lexicographic order of the rows' column sets.
    public static func patterns(n: Int, m: Int) -> [[Int]] {
        var subsets: [[Int]] = []
        func choose(_ from: Int, _ picked: [Int]) {
            if picked.count == n { subsets.append(picked); return }
            guard from < m else { return }
            for j in from..<m { choose(j + 1, picked + [j]) }
        }
        choose(0, [])
        var out: [[Int]] = []
        var colCount = [Int](repeating: 0, count: m)
        func fill(_ row: Int, _ cells: [Int]) {
            if row == m { out.append(cells); return }
            for subset in subsets where subset.allSatisfy({ colCount[$0] < n }) {
                for j in subset { colCount[j] += 1 }
                fill(row + 1, cells + subset.map { row * m + $0 })
                for j in subset { colCount[j] -= 1 }
            }
        }
        fill(0, [])
        return out
    }

    /// The optimal mask by enumerating `patterns(n:m:)` (computed once per call); the first
    /// best pattern wins ties. Needs m ≤ 5.
    public static func enumerationMask(_ scores: ScoreMatrix, n: Int, m: Int) throws(PruningError) -> [Bool] {
        try TransposableInputs.check(scores, n: n, m: m)
        guard m <= enumerationLimit else {
            throw PruningError("enumeration handles m ≤ \(enumerationLimit), got m = \(m)")
        }
        let layout = BlockLayout(rows: scores.rows, columns: scores.columns, m: m)
        let raw = layout.pack(scores.values)
        let flat = patterns(n: n, m: m).flatMap { $0 }
        let size = m * n
        var kept = [Bool](repeating: false, count: raw.count)
        for b in 0..<layout.count {
            let base = b * layout.cells
            var best = 0, bestScore = -Double.infinity
            var p = 0
            while p < flat.count {
                var total = 0.0
                for t in p..<(p + size) { total += raw[base + flat[t]] }
                if total > bestScore { bestScore = total; best = p }
                p += size
            }
            for t in best..<(best + size) { kept[base + flat[t]] = true }
        }
        return layout.unpack(kept)
    }

    /// The optimal mask by successive shortest paths (Bellman–Ford on the residual network,
    /// one unit per augmentation, n·m per block). Any m ≤ 8, including m ≤ 5 (tests compare).
    public static func flowMask(_ scores: ScoreMatrix, n: Int, m: Int) throws(PruningError) -> [Bool] {
        try TransposableInputs.check(scores, n: n, m: m)
        guard m <= flowLimit else {
            throw PruningError("transposable_exact handles blocks up to m = \(flowLimit) (enumeration up to "
                               + "\(enumerationLimit), min-cost flow above), got m = \(m); use tsenor for larger blocks")
        }
        let layout = BlockLayout(rows: scores.rows, columns: scores.columns, m: m)
        let raw = layout.pack(scores.values)
        var kept = [Bool](repeating: false, count: raw.count)
        var flow = AssignmentFlow(m: m)
        for b in 0..<layout.count {
            let base = b * layout.cells
            flow.solve(raw, base: base, n: n, kept: &kept)
        }
        return layout.unpack(kept)
    }
}

/// The bipartite network of one block: node 0 the source, 1…m the rows, m+1…2m the columns,
/// 2m+1 the sink. Only the row→column edges carry cost, so residual capacities are kept as
/// counts: `rowUsed[i]`/`colUsed[j]` (units through source→row / column→sink) and the
/// block's `kept` cells (units on row→column).
struct AssignmentFlow {
    let m: Int
    private var distance: [Double]
    private var parent: [Int]
    private var rowUsed: [Int]
    private var colUsed: [Int]

    init(m: Int) {
        self.m = m
        rowUsed = [Int](repeating: 0, count: m)
        colUsed = [Int](repeating: 0, count: m)
        distance = [Double](repeating: 0, count: 2 * m + 2)
        parent = [Int](repeating: -1, count: 2 * m + 2)
    }

    /// Sets `kept[base ..< base + m²]` to a maximum-score pattern with n per row and column.
    mutating func solve(_ s: [Double], base: Int, n: Int, kept: inout [Bool]) {
        let source = 0, sink = 2 * m + 1
        for t in 0..<m { rowUsed[t] = 0; colUsed[t] = 0 }
        for k in base..<(base + m * m) { kept[k] = false }
        for _ in 0..<(m * n) {
            for v in 0..<distance.count { distance[v] = .infinity; parent[v] = -1 }
            distance[source] = 0
            // Bellman–Ford relaxing every residual edge until nothing changes.
            var changed = true
            while changed {
                changed = false
                for i in 0..<m where rowUsed[i] < n && distance[source] < distance[1 + i] {
                    distance[1 + i] = distance[source]; parent[1 + i] = source; changed = true
                }
                for i in 0..<m where distance[1 + i] < .infinity {
                    for j in 0..<m where !kept[base + i * m + j] {
                        let d = distance[1 + i] - s[base + i * m + j]
                        if d < distance[1 + m + j] - 1e-15 { distance[1 + m + j] = d; parent[1 + m + j] = 1 + i; changed = true }
                    }
                }
                for j in 0..<m where distance[1 + m + j] < .infinity {
                    for i in 0..<m where kept[base + i * m + j] {
                        let d = distance[1 + m + j] + s[base + i * m + j]
                        if d < distance[1 + i] - 1e-15 { distance[1 + i] = d; parent[1 + i] = 1 + m + j; changed = true }
                    }
                    if colUsed[j] < n && distance[1 + m + j] < distance[sink] {
                        distance[sink] = distance[1 + m + j]; parent[sink] = 1 + m + j; changed = true
                    }
                }
            }
            // Walk the path back: column→row steps add a cell, row→column (residual) steps drop one.
            var v = sink
            while v != source {
                let u = parent[v]
                if v == sink { colUsed[u - 1 - m] += 1 }
                else if u == source { rowUsed[v - 1] += 1 }
                else if u <= m { kept[base + (u - 1) * m + (v - 1 - m)] = true }
                else { kept[base + (v - 1) * m + (u - 1 - m)] = false }
                v = u
            }
        }
    }
}
