/// Read access to an n:m matrix's kept values in f32, whatever their storage, so one generic
/// kernel (specialised per storage by the compiler) serves both. The pointers are read-only
/// while a kernel runs, so sharing them across its row threads is safe.
protocol KeptValues: Sendable {
    /// Value `i` in f32.
    subscript(_ i: Int) -> Float { get }
    /// Values `i ..< i + 8` in f32.
    func eight(_ i: Int) -> SIMD8<Float>
}

/// f32 storage: the values themselves.
struct F32Values: KeptValues, @unchecked Sendable {
    let base: UnsafePointer<Float>
    @inline(__always) subscript(_ i: Int) -> Float { base[i] }
    @inline(__always) func eight(_ i: Int) -> SIMD8<Float> {
        UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float>.self)
    }
}

/// f16 storage: half-precision values widened on load (F16C's `vcvtph2ps` on x86-64).
struct F16Values: KeptValues, @unchecked Sendable {
    let base: UnsafePointer<Float16>
    @inline(__always) subscript(_ i: Int) -> Float { Float(base[i]) }
    @inline(__always) func eight(_ i: Int) -> SIMD8<Float> {
        SIMD8<Float>(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Float16>.self))
    }
}
