// SparseGPT's inner kernels (arXiv 2301.00774, Algorithm 1, the loop over a block's columns):
// one row's or four rows' sweep over a block, and the N:M group selection on the updated
// weights. Flat functions over buffers; `SparseGPT.sweep` calls them on bands of rows.

extension SparseGPT {
    /// One row's sweep over one block: `v` the row's `width` weights from the block's first
    /// column, `factor` `U[a, a]` with leading dimension `ld`. For each column j in order: (N:M)
    /// select the group starting at j on the current weights; a pruned weight's error
    /// `e = v_j / U_jj` updates the rest of the block, `v[j+1..] −= e · U[j, j+1..]` (the
    /// factor's strict lower triangle is zero, so the loop may start a few columns early), and is
    /// kept in `errors` for the lazy update; a kept weight has `e = 0`. Returns `Σ e²`.
    @inline(__always)
    static func sweepRow(_ v: UnsafeMutablePointer<Double>, keep: UnsafeMutablePointer<Bool>,
                         errors: UnsafeMutablePointer<Double>, factor: UnsafePointer<Double>, ld: Int,
                         diagonal: UnsafePointer<Double>, width: Int, nm: (n: Int, m: Int)?,
                         order: UnsafeMutablePointer<Int>, scores: UnsafeMutablePointer<Double>) -> Double {
        var loss = 0.0
        for c in 0..<width {
            if let nm, c % nm.m == 0 {
                selectGroup(v + c, keep: keep + c, diagonal: diagonal + c, n: nm.n, m: nm.m, order: order, scores: scores)
            }
            guard !keep[c] else {
                errors[c] = 0
                continue
            }
            let row = factor + c * ld
            let e = v[c] / row[c]
            errors[c] = e
            loss += e * e
            if e != 0 {
                // From c rounded down to a multiple of 4: U[c, k] = 0 for k < c, and every
                // column's vector loads then line up with the previous column's stores.
                var k = c & ~3
                while k < width {
                    v[k] -= e * row[k]
                    k += 1
                }
            }
            v[c] = 0
        }
        return loss
    }

    /// `sweepRow` on four consecutive rows at once (weights and mask `ld` apart, as are the
    /// factor's rows; errors `eld` apart), adding each row's `Σ e²` to `losses[0..<4]`. The
    /// four rows' weights are copied column by column into `lanes` (`width` SIMD4 values), so
    /// each column's update is one vector operation per later column, every load matches the
    /// store before it, and the rows share each load of U. A kept weight has `e = 0`, and
    /// subtracting `0 · U` leaves its row as it is, so each row's result is `sweepRow`'s.
    @inline(__always)
    static func sweepFourRows(_ v: UnsafeMutablePointer<Double>, keep: UnsafeMutablePointer<Bool>, ld: Int,
                              errors: UnsafeMutablePointer<Double>, eld: Int, losses: UnsafeMutablePointer<Double>,
                              factor: UnsafePointer<Double>, diagonal: UnsafePointer<Double>, width: Int,
                              nm: (n: Int, m: Int)?, order: UnsafeMutablePointer<Int>, scores: UnsafeMutablePointer<Double>,
                              lanes t: UnsafeMutablePointer<SIMD4<Double>>) {
        for c in 0..<width { t[c] = SIMD4(v[c], v[ld + c], v[2 * ld + c], v[3 * ld + c]) }
        var loss = SIMD4<Double>()
        var untilGroup = 0
        for c in 0..<width {
            if let nm {
                if untilGroup == 0 {
                    if nm.m <= 16 {
                        selectFourGroups(t + c, keep: keep + c, ld: ld, diagonal: diagonal + c, n: nm.n, m: nm.m)
                    } else {
                        for i in 0..<4 {
                            for g in 0..<nm.m { scores[nm.m + g] = t[c + g][i] }
                            selectGroup(scores + nm.m, keep: keep + i * ld + c, diagonal: diagonal + c, n: nm.n, m: nm.m,
                                        order: order, scores: scores)
                        }
                    }
                    untilGroup = nm.m
                }
                untilGroup -= 1
            }
            let row = factor + c * ld
            let flags = SIMD4<Int64>(keep[c] ? 1 : 0, keep[ld + c] ? 1 : 0, keep[2 * ld + c] ? 1 : 0, keep[3 * ld + c] ? 1 : 0)
            let kept = flags .== 1
            let x = t[c]
            // Kept rows: e = 0 (the division is done anyway, branch-free).
            let e = (SIMD4<Double>(repeating: 0)).replacing(with: x / SIMD4(repeating: row[c]), where: .!kept)
            errors[c] = e[0]
            errors[eld + c] = e[1]
            errors[2 * eld + c] = e[2]
            errors[3 * eld + c] = e[3]
            loss += e * e
            var k = c + 1
            while k < width {
                t[k] -= e * SIMD4(repeating: row[k])
                k += 1
            }
            t[c] = (SIMD4<Double>(repeating: 0)).replacing(with: x, where: kept)
        }
        for c in 0..<width {
            let x = t[c]
            v[c] = x[0]
            v[ld + c] = x[1]
            v[2 * ld + c] = x[2]
            v[3 * ld + c] = x[3]
        }
        losses[0] += loss[0]
        losses[1] += loss[1]
        losses[2] += loss[2]
        losses[3] += loss[3]
    }

    /// `selectGroup` for the same group of four rows held in SIMD4 lanes (`m ≤ 16`): ranks by
    /// counting, one vector comparison per pair of positions; the keep-mask rows are `ld` apart.
    @inline(__always)
    static func selectFourGroups(_ t: UnsafePointer<SIMD4<Double>>, keep: UnsafeMutablePointer<Bool>, ld: Int,
                                 diagonal: UnsafePointer<Double>, n: Int, m: Int) {
        var scores = (SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(),
                      SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(),
                      SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(),
                      SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>(), SIMD4<Double>())
        withUnsafeMutableBytes(of: &scores) { raw in
            let s = raw.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: SIMD4<Double>.self)
            for g in 0..<m { s[g] = t[g] * t[g] / SIMD4(repeating: diagonal[g]) }
            for i in 0..<m {
                let si = s[i]
                var beaten = SIMD4<Int64>()
                for j in 0..<m {
                    let wins = s[j] .> si .| (j < i ? s[j] .== si : SIMDMask<SIMD4<Int64>>())
                    beaten &+= SIMD4<Int64>(repeating: 0).replacing(with: 1, where: wins)
                }
                let kept = beaten .< Int64(n)
                keep[i] = kept[0]
                keep[ld + i] = kept[1]
                keep[2 * ld + i] = kept[2]
                keep[3 * ld + i] = kept[3]
            }
        }
    }

    /// Marks the `n` largest of the group's `m` scores `v²/diag` kept and the rest pruned;
    /// among equal scores the lower index is kept (so the higher one is removed first).
    @inline(__always)
    static func selectGroup(_ v: UnsafePointer<Double>, keep: UnsafeMutablePointer<Bool>, diagonal: UnsafePointer<Double>,
                            n: Int, m: Int, order: UnsafeMutablePointer<Int>, scores: UnsafeMutablePointer<Double>) {
        for i in 0..<m { scores[i] = v[i] * v[i] / diagonal[i] }
        if m <= 16 {
            // Rank by counting (branch-free): i is beaten by every higher score and by every
            // equal score at a lower index.
            for i in 0..<m {
                let s = scores[i]
                var beaten = 0
                for j in 0..<m { beaten += (scores[j] > s || (scores[j] == s && j < i)) ? 1 : 0 }
                keep[i] = beaten < n
            }
            return
        }
        for i in 0..<m { order[i] = i }
        var positions = UnsafeMutableBufferPointer(start: order, count: m)
        positions.sort { x, y in
            scores[x] > scores[y] || (scores[x] == scores[y] && x < y)
        }
        for i in 0..<m { keep[order[i]] = i < n }
    }
}
