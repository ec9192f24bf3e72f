import Dispatch

// SparseGPT's unstructured selection: the `k` smallest scores `V²/U_jj²` over a whole block
// (all rows × the block's columns jointly, arXiv 2301.00774 §3.3's adaptive mask selection).
// Ties follow algorithms.md §0: among equal scores the higher row-major index is removed first.

extension SparseGPT {
    /// Scratch for selecting over one block: a 64-bit order key per score and the candidates
    /// of a 16-bit radix select, allocated once per layer and reused by every block.
    struct BlockSelection {
        private var keys: [UInt64]
        private var candidates: [UInt64]
        private var histogram: [Int]

        /// Room for blocks of up to `capacity` scores.
        init(capacity: Int) {
            keys = [UInt64](repeating: 0, count: capacity)
            candidates = [UInt64](repeating: 0, count: capacity)
            histogram = [Int](repeating: 0, count: capacity > 0 ? 1 << 16 : 0)
        }

        /// Sets `mask` false on the `k` smallest scores `v²/diagonal[c]` of the `rows × width`
        /// block whose row r starts at `weights + r·ld` (the mask laid out the same way) and
        /// true on the rest. The scores are non-negative, so their bit patterns order like them;
        /// computing them and marking the mask run on `lanes` lanes over bands of rows.
        mutating func markSmallest(_ k: Int, rows: Int, width: Int, weights: UnsafePointer<Double>, ld: Int,
                                   diagonal: UnsafePointer<Double>, mask: UnsafeMutablePointer<Bool>, lanes: Int) {
            let count = rows * width
            guard k > 0 else { return }
            precondition(count <= keys.count, "block selection scratch is too small")
            keys.withUnsafeMutableBufferPointer { kb in
                candidates.withUnsafeMutableBufferPointer { cb in
                    histogram.withUnsafeMutableBufferPointer { hb in
                        guard let key = kb.baseAddress, let candidate = cb.baseAddress, let bins = hb.baseAddress else { return }
                        let bandLanes = count >= 1 << 14 ? lanes : 1
                        let band = (rows + bandLanes - 1) / bandLanes
                        nonisolated(unsafe) let (kq, wq, dq, mq) = (key, weights, diagonal, mask)
                        inBands(bandLanes) { lane in
                            for r in (lane * band)..<min(rows, (lane + 1) * band) {
                                scoreKeys(wq + r * ld, diagonal: dq, into: kq + r * width, count: width)
                            }
                        }
                        let (threshold, ties) = kSmallestThreshold(k, keys: key, count: count,
                                                                   candidates: candidate, histogram: bins)
                        // Every key below the threshold goes, then the `ties` highest positions at it.
                        inBands(bandLanes) { lane in
                            for r in (lane * band)..<min(rows, (lane + 1) * band) {
                                for c in 0..<width { mq[r * ld + c] = kq[r * width + c] >= threshold }
                            }
                        }
                        var remaining = ties
                        var i = count - 1
                        while remaining > 0 {
                            if key[i] == threshold {
                                mask[(i / width) * ld + i % width] = false
                                remaining -= 1
                            }
                            i -= 1
                        }
                    }
                }
            }
        }
    }

    /// `keys[c] = bits(v[c]² / diagonal[c])` for `c in 0..<count`, four at a time.
    @inline(__always)
    static func scoreKeys(_ v: UnsafePointer<Double>, diagonal: UnsafePointer<Double>, into keys: UnsafeMutablePointer<UInt64>,
                          count: Int) {
        let rv = UnsafeRawPointer(v), rd = UnsafeRawPointer(diagonal), rk = UnsafeMutableRawPointer(keys)
        var c = 0
        while c + 4 <= count {
            let x = rv.loadUnaligned(fromByteOffset: 8 * c, as: SIMD4<Double>.self)
            let d = rd.loadUnaligned(fromByteOffset: 8 * c, as: SIMD4<Double>.self)
            rk.storeBytes(of: unsafeBitCast(x * x / d, to: SIMD4<UInt64>.self), toByteOffset: 8 * c, as: SIMD4<UInt64>.self)
            c += 4
        }
        while c < count {
            keys[c] = (v[c] * v[c] / diagonal[c]).bitPattern
            c += 1
        }
    }

    /// `body(lane)` for `lane in 0..<lanes`, concurrently when there is more than one.
    static func inBands(_ lanes: Int, _ body: @Sendable (Int) -> Void) {
        if lanes <= 1 {
            body(0)
        } else {
            DispatchQueue.concurrentPerform(iterations: lanes, execute: body)
        }
    }

    /// The k-th smallest key `T` of `keys[0..<count]` (`0 < k ≤ count`) and how many of the k
    /// smallest equal it (the rest are below it): a radix select on 16-bit digits, most
    /// significant first, each pass keeping only the keys that share the digits found so far.
    static func kSmallestThreshold(_ k: Int, keys: UnsafePointer<UInt64>, count: Int,
                                   candidates: UnsafeMutablePointer<UInt64>,
                                   histogram: UnsafeMutablePointer<Int>) -> (threshold: UInt64, ties: Int) {
        var prefix: UInt64 = 0
        var need = k
        var source = UnsafePointer(keys)
        var length = count
        var shift: UInt64 = 48
        while true {
            for d in 0..<(1 << 16) { histogram[d] = 0 }
            for i in 0..<length { histogram[Int((source[i] >> shift) & 0xFFFF)] += 1 }
            var digit = 0
            while need > histogram[digit] {
                need -= histogram[digit]
                digit += 1
            }
            prefix |= UInt64(digit) << shift
            if shift == 0 { return (prefix, need) }
            // Keep the keys in the chosen bucket (in place after the first pass).
            let high = prefix >> shift
            var kept = 0
            for i in 0..<length where source[i] >> shift == high {
                candidates[kept] = source[i]
                kept += 1
            }
            source = UnsafePointer(candidates)
            length = kept
            shift -= 16
        }
    }
}
