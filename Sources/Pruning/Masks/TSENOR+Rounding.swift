// Rounding a block's plan to a mask with exactly n per row and column (algorithms.md §9,
// steps 4–6), and the row-first start of the naive baseline. Each chunk of blocks owns one
// set of scratch buffers; no block allocates.

/// Greedy/row-first starts, repair and 2-opt over block-ordered buffers.
enum BlockRounding {
    /// The first mask of a block, before the repair.
    enum Start {
        /// Step 4: cells by descending key (row-major on ties), kept while row and column hold < n.
        case greedy
        /// Each row keeps its n largest scores, then over-full columns drop their smallest.
        case rowFirst
    }

    /// The block-ordered mask from block-ordered `|scores|` `raw` and greedy `keys`.
    static func round(_ raw: [Double], keys: [Double], layout: BlockLayout, n: Int, start: Start, twoOpt: Bool) -> [Bool] {
        var kept = [Bool](repeating: false, count: raw.count)
        let m = layout.m, cells = layout.cells
        raw.withUnsafeBufferPointer { sp in
            keys.withUnsafeBufferPointer { kp in
                kept.withUnsafeMutableBufferPointer { op in
                    nonisolated(unsafe) let (sq, kq, oq) = (sp, kp, op)
                    layout.forEachChunk { blocks in
                        var order = [Int](repeating: 0, count: cells)
                        var rowCount = [Int](repeating: 0, count: m)
                        var colCount = [Int](repeating: 0, count: m)
                        for b in blocks {
                            let base = b * cells
                            let s = UnsafeBufferPointer(rebasing: sq[base..<(base + cells)])
                            let key = UnsafeBufferPointer(rebasing: kq[base..<(base + cells)])
                            let out = UnsafeMutableBufferPointer(rebasing: oq[base..<(base + cells)])
                            switch start {
                            case .greedy: greedy(key, m: m, n: n, order: &order, rowCount: &rowCount, colCount: &colCount, into: out)
                            case .rowFirst: rowFirst(s, m: m, n: n, order: &order, into: out)
                            }
                            repair(s, m: m, n: n, rowCount: &rowCount, colCount: &colCount, kept: out)
                            if twoOpt { improve(s, m: m, kept: out) }
                        }
                    }
                }
            }
        }
        return kept
    }

    /// `order` = the cells by descending key, the lower index first among equal keys.
    static func sortDescending(_ key: UnsafeBufferPointer<Double>, count: Int, stride: Int = 1, offset: Int = 0,
                               order: inout [Int]) {
        for j in 0..<count {
            let value = key[offset + j * stride]
            var p = j
            while p > 0 && key[offset + order[p - 1] * stride] < value {
                order[p] = order[p - 1]
                p -= 1
            }
            order[p] = j
        }
    }

    /// Step 4: keep cells by descending key while their row and column both hold < n.
    static func greedy(_ key: UnsafeBufferPointer<Double>, m: Int, n: Int, order: inout [Int],
                       rowCount: inout [Int], colCount: inout [Int], into kept: UnsafeMutableBufferPointer<Bool>) {
        sortDescending(key, count: m * m, order: &order)
        for k in 0..<(m * m) { kept[k] = false }
        for t in 0..<m { rowCount[t] = 0; colCount[t] = 0 }
        for cell in order {
            let i = cell / m, j = cell % m
            if rowCount[i] < n && colCount[j] < n {
                kept[cell] = true
                rowCount[i] += 1
                colCount[j] += 1
            }
        }
    }

    /// Each row keeps its n largest scores (lower column first on ties); each column holding
    /// more than n then drops its smallest kept cells, the higher row first on ties.
    static func rowFirst(_ s: UnsafeBufferPointer<Double>, m: Int, n: Int, order: inout [Int],
                         into kept: UnsafeMutableBufferPointer<Bool>) {
        for k in 0..<(m * m) { kept[k] = false }
        for i in 0..<m {
            sortDescending(s, count: m, offset: i * m, order: &order)
            for t in 0..<n { kept[i * m + order[t]] = true }
        }
        for j in 0..<m {
            sortDescending(s, count: m, stride: m, offset: j, order: &order)
            var held = 0
            for t in 0..<m where kept[order[t] * m + j] {
                held += 1
                if held > n { kept[order[t] * m + j] = false }
            }
        }
    }

    /// Step 5: refill to exactly n per row and column. Keeps the best unkept cell whose row and
    /// column are both short; otherwise, for the first short row i and column j, applies the
    /// best swap (keep (i,j′) and (i′,j), drop (i′,j′)) even if it loses. Each move cuts the
    /// deficit by one.
    static func repair(_ s: UnsafeBufferPointer<Double>, m: Int, n: Int, rowCount: inout [Int], colCount: inout [Int],
                       kept: UnsafeMutableBufferPointer<Bool>) {
        for t in 0..<m { rowCount[t] = 0; colCount[t] = 0 }
        var deficit = m * n
        for i in 0..<m {
            for j in 0..<m where kept[i * m + j] {
                rowCount[i] += 1
                colCount[j] += 1
                deficit -= 1
            }
        }
        while deficit > 0 {
            var best = -1
            for i in 0..<m where rowCount[i] < n {
                for j in 0..<m where colCount[j] < n && !kept[i * m + j] {
                    if best < 0 || s[i * m + j] > s[best] { best = i * m + j }
                }
            }
            if best >= 0 {
                kept[best] = true
                rowCount[best / m] += 1
                colCount[best % m] += 1
            } else {
                let i = rowCount.firstIndex { $0 < n } ?? 0
                let j = colCount.firstIndex { $0 < n } ?? 0
                var swap = -1, gain = -Double.infinity
                for i2 in 0..<m where !kept[i2 * m + j] {
                    for j2 in 0..<m where kept[i2 * m + j2] && !kept[i * m + j2] {
                        let g = s[i * m + j2] + s[i2 * m + j] - s[i2 * m + j2]
                        if swap < 0 || g > gain { swap = i2 * m + j2; gain = g }
                    }
                }
                precondition(swap >= 0, "a repair swap always exists (algorithms.md §9 step 5)")
                let i2 = swap / m, j2 = swap % m
                kept[swap] = false
                kept[i * m + j2] = true
                kept[i2 * m + j] = true
                rowCount[i] += 1
                colCount[j] += 1
            }
            deficit -= 1
        }
    }

    /// Step 6: swaps kept (a,b),(c,d) for (a,d),(c,b) while one gains (best gain first). A swap
    /// keeps every row and column count; the gain must beat a tiny margin so rounding cannot cycle.
    static func improve(_ s: UnsafeBufferPointer<Double>, m: Int, kept: UnsafeMutableBufferPointer<Bool>) {
        var top = 0.0
        for k in 0..<(m * m) { top = max(top, s[k]) }
        let margin = 1e-12 * top
        while true {
            var gain = margin, move: (a: Int, b: Int, c: Int, d: Int)?
            for a in 0..<m {
                for b in 0..<m where kept[a * m + b] {
                    for c in (a + 1)..<m {
                        for d in 0..<m where kept[c * m + d] && !kept[a * m + d] && !kept[c * m + b] {
                            let g = s[a * m + d] + s[c * m + b] - s[a * m + b] - s[c * m + d]
                            if g > gain { gain = g; move = (a, b, c, d) }
                        }
                    }
                }
            }
            guard let (a, b, c, d) = move else { return }
            kept[a * m + b] = false
            kept[c * m + d] = false
            kept[a * m + d] = true
            kept[c * m + b] = true
        }
    }
}
