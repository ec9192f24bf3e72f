import TensorModule

// Small buffer helpers shared by the tape's operations.

/// Runs a TensorModule operation whose operands were already checked, so it cannot fail; a
/// failure is a bug in the caller.
func evaluate<R>(_ body: () throws -> R) -> R {
    do {
        return try body()
    } catch {
        preconditionFailure("autodiff: unexpected tensor error: \(error)")
    }
}

/// The f32 elements of a tensor the tape made (always f32).
func floatValues(_ t: Tensor) -> [Float] {
    guard case .f32(let values) = t.data else { preconditionFailure("autodiff: expected an f32 tensor") }
    return values
}

/// A fresh array of `count` floats filled by `body` (which must write every element).
@inline(__always)
func makeFloats(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
        if let base = buffer.baseAddress { body(base) }
        initialized = count
    }
}

/// A fresh array of `count` zeros, accumulated into by `body`.
@inline(__always)
func zeroFloats(_ count: Int, _ body: (UnsafeMutablePointer<Float>) -> Void) -> [Float] {
    var out = [Float](repeating: 0, count: count)
    out.withUnsafeMutableBufferPointer { buffer in
        if let base = buffer.baseAddress { body(base) }
    }
    return out
}

/// Calls `body` with the base address of each array (a dangling-free stand-in for empty ones).
@inline(__always)
func withFloats<R>(_ a: [Float], _ body: (UnsafePointer<Float>) -> R) -> R {
    a.withUnsafeBufferPointer { buffer in
        guard let base = buffer.baseAddress else {
            var empty: Float = 0
            return withUnsafePointer(to: &empty) { body($0) }
        }
        return body(base)
    }
}

/// `f(a[i], b[i])` for every `i`.
@inline(__always)
func mapFloats(_ a: [Float], _ b: [Float], _ f: (Float, Float) -> Float) -> [Float] {
    precondition(a.count == b.count, "autodiff: mapFloats sizes differ")
    return withFloats(a) { pa in withFloats(b) { pb in makeFloats(a.count) { o in
        for i in 0..<a.count { o[i] = f(pa[i], pb[i]) }
    } } }
}

/// `f(a[i], b[i], c[i])` for every `i`.
@inline(__always)
func mapFloats(_ a: [Float], _ b: [Float], _ c: [Float], _ f: (Float, Float, Float) -> Float) -> [Float] {
    precondition(a.count == b.count && a.count == c.count, "autodiff: mapFloats sizes differ")
    return withFloats(a) { pa in withFloats(b) { pb in withFloats(c) { pc in makeFloats(a.count) { o in
        for i in 0..<a.count { o[i] = f(pa[i], pb[i], pc[i]) }
    } } } }
}
