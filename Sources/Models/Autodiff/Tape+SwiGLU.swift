import TensorModule

// The SwiGLU gate on the tape; the forward is the inference kernel `llamaSwiGLU`.
extension Tape {
    /// `silu(gate) ⊙ up` for two values of the same shape.
    public func swiGLU(gate: Variable, up: Variable) throws(ModelError) -> Variable {
        let g = value(gate), u = value(up)
        guard g.shape == u.shape else {
            throw ModelError("swiGLU: gate \(g.shape) and up \(u.shape) must have the same shape", kind: .shape)
        }
        let gv = floatValues(g), uv = floatValues(u)
        var out = gv
        out.withUnsafeMutableBufferPointer { o in
            guard let base = o.baseAddress else { return }
            withFloats(uv) { llamaSwiGLU(base, up: $0, n: gv.count) }
        }
        return record(Tensor(shape: g.shape, f32: out), inputs: [gate, up]) { dy, needed in
            // With s = σ(g): d/dgate = dy · up · s · (1 + g(1 − s)), d/dup = dy · g · s.
            var dGate = [Float](repeating: 0, count: gv.count), dUp = dGate
            withFloats(dy) { d in withFloats(gv) { pg in withFloats(uv) { pu in
                dGate.withUnsafeMutableBufferPointer { dgb in dUp.withUnsafeMutableBufferPointer { dub in
                    guard let dg = dgb.baseAddress, let du = dub.baseAddress else { return }
                    swiGLUBackward(d, pg, pu, dg, du, n: gv.count)
                } }
            } } }
            return [needed[0] ? dGate : nil, needed[1] ? dUp : nil]
        }
    }
}

/// The SwiGLU gradients for `n` entries, eight at a time with the forward's `vectorExp`.
func swiGLUBackward(_ dy: UnsafePointer<Float>, _ gate: UnsafePointer<Float>, _ up: UnsafePointer<Float>,
                    _ dGate: UnsafeMutablePointer<Float>, _ dUp: UnsafeMutablePointer<Float>, n: Int) {
    @inline(__always)
    func lanes(_ p: UnsafePointer<Float>, _ i: Int) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
    }
    var i = 0
    while i + 8 <= n {
        let g = lanes(gate, i), u = lanes(up, i), d = lanes(dy, i)
        let s = 1 / (1 + vectorExp(-g))
        UnsafeMutableRawPointer(dGate).storeBytes(of: d * u * s * (1 + g * (1 - s)), toByteOffset: 4 * i, as: SIMD8<Float>.self)
        UnsafeMutableRawPointer(dUp).storeBytes(of: d * g * s, toByteOffset: 4 * i, as: SIMD8<Float>.self)
        i += 8
    }
    while i < n {
        let g = gate[i], s = 1 / (1 + vectorExp(-g))
        dGate[i] = dy[i] * up[i] * s * (1 + g * (1 - s))
        dUp[i] = dy[i] * g * s
        i += 1
    }
}
