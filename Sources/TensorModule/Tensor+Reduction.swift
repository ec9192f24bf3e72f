import RealModule

/// A reduction over some axes. `var_` and `std` are population statistics (ddof 0, NumPy's
/// default); `countNonzero` counts elements that are not zero (NaN counts).
public enum ReduceOp: String, Sendable, CaseIterable {
    case sum, mean, max, min, prod, var_, std, argmax, argmin, any, all, countNonzero

    /// The name the language uses, for messages ("var", "count_nonzero", …).
    public var name: String {
        switch self {
        case .var_: return "var"
        case .countNonzero: return "count_nonzero"
        default: return rawValue
        }
    }
}

/// A reduction seen as `outer × length × inner`: output element `(o, i)` reduces the `length`
/// source elements at `o·length·inner + j·inner + i`. Non-adjacent reduced axes are first
/// moved to the end by a transpose.
struct ReductionLayout {
    /// The (possibly transposed) source.
    let source: Tensor
    let outer: Int
    let length: Int
    let inner: Int
    /// The result shape, with or without the reduced axes kept as 1.
    let outShape: [Int]
}

extension Tensor {
    /// The layout reducing `axes` (nil = all; negative from the end; no repeats).
    func reductionLayout(_ axes: [Int]?, keepdims: Bool) throws -> ReductionLayout {
        let n = ndim
        let reduced: [Int]
        if let axes {
            reduced = try axes.map { try Tensor.normalizeAxis($0, ndim: n) }.sorted()
            for k in reduced.indices.dropFirst() where reduced[k] == reduced[k - 1] {
                throw TensorError("axis \(reduced[k]) is repeated in the reduction axes")
            }
        } else {
            reduced = Array(0..<n)
        }
        let isReduced = (0..<n).map { reduced.contains($0) }
        let outShape = keepdims
            ? (0..<n).map { isReduced[$0] ? 1 : shape[$0] }
            : (0..<n).filter { !isReduced[$0] }.map { shape[$0] }
        let length = reduced.reduce(1) { $0 * shape[$1] }
        guard let lo = reduced.first, let hi = reduced.last else {
            return ReductionLayout(source: self, outer: count, length: 1, inner: 1, outShape: outShape)
        }
        if hi - lo + 1 == reduced.count {
            return ReductionLayout(
                source: self, outer: Tensor.elementCount(Array(shape[..<lo])), length: length,
                inner: Tensor.elementCount(Array(shape[(hi + 1)...])), outShape: outShape)
        }
        let kept = (0..<n).filter { !isReduced[$0] }
        let moved = try transposed(kept + reduced)
        return ReductionLayout(
            source: moved, outer: kept.reduce(1) { $0 * shape[$1] }, length: length, inner: 1,
            outShape: outShape)
    }

    /// Reduces `axes` (nil = all, giving a 0-d tensor unless `keepdims`). Result dtypes: `sum`
    /// and `prod` keep f32 and give i32 for i32/bool (an error if the result leaves the i32
    /// range); `mean`, `var_`, `std` give f32; `max`/`min` keep the dtype and propagate NaN;
    /// `argmax`/`argmin` give i32 first-occurrence positions along their one axis (or flat
    /// positions for nil); `any`/`all` give bool; `countNonzero` gives i32. Sums accumulate in
    /// Double. The mean of nothing is NaN; `max`, `min`, `argmax` and `argmin` of nothing are
    /// errors.
    public func reduce(_ op: ReduceOp, axes: [Int]?, keepdims: Bool) throws -> Tensor {
        if op == .argmax || op == .argmin, let axes, axes.count != 1 {
            throw TensorError("\(op.name) takes one axis or none, got \(axes.count)")
        }
        let layout = try reductionLayout(axes, keepdims: keepdims)
        if layout.length == 0 && layout.outer * layout.inner > 0 {
            switch op {
            case .max, .min, .argmax, .argmin: throw TensorError("\(op.name) of an empty tensor")
            default: break
            }
        }
        let values: [Double]
        switch layout.source.data {
        case .f32(let a): values = reduceKernel(op, a, layout)
        case .i32(let a): values = reduceKernel(op, a, layout)
        case .bool(let a): values = reduceKernel(op, a, layout)
        }
        let outDType: DType
        switch op {
        case .mean, .var_, .std: outDType = .f32
        case .argmax, .argmin, .countNonzero: outDType = .i32
        case .any, .all: outDType = .bool
        case .max, .min: outDType = dtype
        case .sum, .prod: outDType = dtype == .f32 ? .f32 : .i32
        }
        if outDType == .i32, let bad = values.first(where: { $0 > 2_147_483_647 || $0 < -2_147_483_648 }) {
            throw TensorError("integer overflow in \(op.name): \(describeNumber(bad)) does not fit in i32")
        }
        return Tensor(doubles: values, shape: layout.outShape, dtype: outDType)
    }

    /// The vector p-norm over `axes` (nil = all), like `torch.linalg.vector_norm`: p = 2 is the
    /// Euclidean (Frobenius) norm, 1 the sum of |x|, `.infinity` the max |x|, `-.infinity`
    /// the min |x|, 0 the number of nonzeros, any other p `(Σ|x|^p)^(1/p)`. Gives f32,
    /// accumulating in Double.
    public func norm(p: Double = 2, axes: [Int]?, keepdims: Bool) throws -> Tensor {
        let layout = try reductionLayout(axes, keepdims: keepdims)
        let src = layout.source.floats()
        let (outer, length, inner) = (layout.outer, layout.length, layout.inner)
        var out = [Float](repeating: 0, count: outer * inner)
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                var acc = [Double](repeating: 0, count: inner)
                for b in 0..<outer {
                    let initial: Double = p == .infinity ? 0 : (p == -.infinity ? .infinity : 0)
                    for i in 0..<inner { acc[i] = initial }
                    for j in 0..<length {
                        let row = b * length * inner + j * inner
                        for i in 0..<inner {
                            let x = Swift.abs(Double(s[row + i]))
                            if p == 2 {
                                acc[i] += x * x
                            } else if p == 1 {
                                acc[i] += x
                            } else if p == .infinity {
                                acc[i] = x.isNaN || acc[i].isNaN ? .nan : Swift.max(acc[i], x)
                            } else if p == -.infinity {
                                acc[i] = x.isNaN || acc[i].isNaN ? .nan : Swift.min(acc[i], x)
                            } else if p == 0 {
                                acc[i] += x != 0 ? 1 : 0
                            } else {
                                acc[i] += Double.pow(x, p)
                            }
                        }
                    }
                    for i in 0..<inner {
                        let v: Double
                        if p == 2 {
                            v = acc[i].squareRoot()
                        } else if p == 1 || p == 0 || p.isInfinite {
                            v = acc[i]
                        } else {
                            v = Double.pow(acc[i], 1 / p)
                        }
                        o[b * inner + i] = Float(v)
                    }
                }
            }
        }
        return Tensor(shape: layout.outShape, f32: out)
    }

    /// Running sums along `axis` (nil: over the flattened tensor, giving 1-D). f32 stays f32
    /// (accumulated in Double); i32 and bool give i32 (an error on i32 overflow).
    public func cumsum(axis: Int?) throws -> Tensor {
        let base = axis == nil ? flattened() : self
        let a = try Tensor.normalizeAxis(axis ?? 0, ndim: base.ndim)
        let outer = Tensor.elementCount(Array(base.shape[..<a]))
        let length = base.shape[a]
        let inner = Tensor.elementCount(Array(base.shape[(a + 1)...]))
        let src = base.doubles()
        var sums = [Double](repeating: 0, count: src.count)
        sums.withUnsafeMutableBufferPointer { out in
            src.withUnsafeBufferPointer { s in
                for b in 0..<outer {
                    let start = b * length * inner
                    for j in 0..<length {
                        let row = start + j * inner
                        for i in 0..<inner {
                            out[row + i] = s[row + i] + (j > 0 ? out[row - inner + i] : 0)
                        }
                    }
                }
            }
        }
        if dtype == .f32 { return Tensor(doubles: sums, shape: base.shape, dtype: .f32) }
        if let bad = sums.first(where: { $0 > 2_147_483_647 || $0 < -2_147_483_648 }) {
            throw TensorError("integer overflow in cumsum: \(describeNumber(bad)) does not fit in i32")
        }
        return Tensor(doubles: sums, shape: base.shape, dtype: .i32)
    }

    /// `log(Σ exp(x))` along `axis` (nil = all), computed stably as `m + log Σ exp(x − m)`
    /// with `m` the maximum; gives f32. All −inf gives −inf; +inf gives +inf; NaN propagates.
    public func logsumexp(axis: Int?, keepdims: Bool) throws -> Tensor {
        let layout = try reductionLayout(axis.map { [$0] }, keepdims: keepdims)
        let src = layout.source.floats()
        let (outer, length, inner) = (layout.outer, layout.length, layout.inner)
        var out = [Float](repeating: 0, count: outer * inner)
        src.withUnsafeBufferPointer { s in
            for b in 0..<outer {
                for i in 0..<inner {
                    let base = b * length * inner + i
                    var m = -Double.infinity
                    var sawNaN = false
                    for j in 0..<length {
                        let x = Double(s[base + j * inner])
                        if x.isNaN { sawNaN = true }
                        m = Swift.max(m, x)
                    }
                    var result: Double
                    if sawNaN {
                        result = .nan
                    } else if m.isInfinite {
                        result = m
                    } else {
                        var sum = 0.0
                        for j in 0..<length { sum += Double.exp(Double(s[base + j * inner]) - m) }
                        result = m + Double.log(sum)
                    }
                    out[b * inner + i] = Float(result)
                }
            }
        }
        return Tensor(shape: layout.outShape, f32: out)
    }

    /// `exp(x) / Σ exp(x)` along `axis`, stably (the maximum is subtracted first); gives f32 of
    /// the same shape.
    public func softmax(axis: Int) throws -> Tensor {
        let a = try Tensor.normalizeAxis(axis, ndim: ndim)
        let outer = Tensor.elementCount(Array(shape[..<a]))
        let length = shape[a]
        let inner = Tensor.elementCount(Array(shape[(a + 1)...]))
        let src = floats()
        let out: [Float] = makeArray(src.count) { o in
            withBase(src) { s in
                for b in 0..<outer {
                    for i in 0..<inner {
                        let base = b * length * inner + i
                        var m = -Float.infinity
                        for j in 0..<length { m = Swift.max(m, s[base + j * inner]) }
                        if m == -.infinity { m = 0 }
                        var sum = 0.0
                        for j in 0..<length {
                            let e = Float.exp(s[base + j * inner] - m)
                            o[base + j * inner] = e
                            sum += Double(e)
                        }
                        let scale = Float(1 / sum)
                        for j in 0..<length { o[base + j * inner] *= scale }
                    }
                }
            }
        }
        return Tensor(shape: shape, f32: out)
    }
}

/// The reduction `op` over `layout` of the elements `a`, as Doubles (positions for
/// argmax/argmin, 0/1 for any/all). Rows are accumulated `inner` at a time for locality.
func reduceKernel<T: TensorElement>(_ op: ReduceOp, _ a: [T], _ layout: ReductionLayout) -> [Double] {
    let (outer, length, inner) = (layout.outer, layout.length, layout.inner)
    var out = [Double](repeating: 0, count: outer * inner)
    var acc = [Double](repeating: 0, count: inner)
    var aux = [Double](repeating: 0, count: inner)
    a.withUnsafeBufferPointer { s in
        out.withUnsafeMutableBufferPointer { o in
            acc.withUnsafeMutableBufferPointer { acc in
                aux.withUnsafeMutableBufferPointer { aux in
                    for b in 0..<outer {
                        let start = b * length * inner
                        reduceBlock(op, s, start, length, inner, acc, aux)
                        for i in 0..<inner { o[b * inner + i] = acc[i] }
                    }
                }
            }
        }
    }
    return out
}

/// One `length × inner` block of a reduction starting at `start`, leaving the results in
/// `acc` (`aux` is scratch). Rows are walked through pointers (no overflow checks); a block
/// with `inner == 1` takes a scalar fast path.
@inline(__always)
func reduceBlock<T: TensorElement>(
    _ op: ReduceOp, _ s: UnsafeBufferPointer<T>, _ start: Int, _ length: Int, _ inner: Int,
    _ acc: UnsafeMutableBufferPointer<Double>, _ aux: UnsafeMutableBufferPointer<Double>
) {
    guard let base = s.baseAddress.map({ $0 + start }) else {
        // No elements at all: only identities are left to write.
        for i in 0..<inner { acc[i] = op == .prod || op == .all ? 1 : (op == .mean || op == .var_ || op == .std ? .nan : 0) }
        return
    }
    @inline(__always) func row(_ j: Int) -> UnsafePointer<T> { base + j &* inner }
    if inner == 1, let v = reduceContiguous(op, base, length) {
        acc[0] = v
        return
    }
    switch op {
    case .sum, .mean, .var_, .std:
        for i in 0..<inner { acc[i] = 0 }
        for j in 0..<length {
            let r = row(j)
            for i in 0..<inner { acc[i] += r[i].doubleValue }
        }
        if op == .sum { return }
        for i in 0..<inner { acc[i] /= Double(length) }
        if op == .mean { return }
        for i in 0..<inner { aux[i] = 0 }
        for j in 0..<length {
            let r = row(j)
            for i in 0..<inner {
                let d = r[i].doubleValue - acc[i]
                aux[i] += d * d
            }
        }
        for i in 0..<inner {
            acc[i] = op == .std ? (aux[i] / Double(length)).squareRoot() : aux[i] / Double(length)
        }
    case .prod:
        for i in 0..<inner { acc[i] = 1 }
        for j in 0..<length {
            let r = row(j)
            for i in 0..<inner { acc[i] *= r[i].doubleValue }
        }
    case .max, .min:
        let r0 = row(0)
        for i in 0..<inner { acc[i] = r0[i].doubleValue }
        for j in 1..<Swift.max(length, 1) {
            let r = row(j)
            for i in 0..<inner {
                let x = r[i].doubleValue
                if acc[i].isNaN { continue }
                if x.isNaN || (op == .max ? x > acc[i] : x < acc[i]) { acc[i] = x }
            }
        }
    case .argmax, .argmin:
        let r0 = row(0)
        for i in 0..<inner {
            acc[i] = 0
            aux[i] = r0[i].doubleValue
        }
        for j in 1..<Swift.max(length, 1) {
            let r = row(j)
            for i in 0..<inner {
                let x = r[i].doubleValue
                if aux[i].isNaN { continue }
                if x.isNaN || (op == .argmax ? x > aux[i] : x < aux[i]) {
                    aux[i] = x
                    acc[i] = Double(j)
                }
            }
        }
    case .any, .all, .countNonzero:
        for i in 0..<inner { acc[i] = op == .all ? 1 : 0 }
        for j in 0..<length {
            let r = row(j)
            for i in 0..<inner {
                let nonzero = r[i].doubleValue != 0
                switch op {
                case .any: if nonzero { acc[i] = 1 }
                case .all: if !nonzero { acc[i] = 0 }
                default: if nonzero { acc[i] += 1 }
                }
            }
        }
    }
}

/// The reduction of `length` contiguous elements for the ops with a scalar fast path (sums
/// use four interleaved Double accumulators, combined pairwise at the end), or nil.
@inline(__always)
func reduceContiguous<T: TensorElement>(_ op: ReduceOp, _ p: UnsafePointer<T>, _ length: Int) -> Double? {
    switch op {
    case .sum, .mean, .var_, .std:
        let sum = sum4(length) { p[$0].doubleValue }
        if op == .sum { return sum }
        let mean = sum / Double(length)
        if op == .mean { return mean }
        let squares = sum4(length) {
            let d = p[$0].doubleValue - mean
            return d * d
        }
        return op == .std ? (squares / Double(length)).squareRoot() : squares / Double(length)
    case .max, .min:
        guard length > 0 else { return nil }
        var m = p[0].doubleValue
        if m.isNaN { return m }
        for j in 1..<length {
            let x = p[j].doubleValue
            if x.isNaN { return x }
            if op == .max ? x > m : x < m { m = x }
        }
        return m
    default:
        return nil
    }
}

/// `Σ term(j)` for j in 0..<n with four independent accumulators (for instruction-level
/// parallelism), summed as (a + b) + (c + d); deterministic for a given n.
@inline(__always)
func sum4(_ n: Int, _ term: (Int) -> Double) -> Double {
    var (a, b, c, d) = (0.0, 0.0, 0.0, 0.0)
    var j = 0
    while j &+ 4 <= n {
        a += term(j)
        b += term(j &+ 1)
        c += term(j &+ 2)
        d += term(j &+ 3)
        j &+= 4
    }
    while j < n {
        a += term(j)
        j &+= 1
    }
    return (a + b) + (c + d)
}
