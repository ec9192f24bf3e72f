import TensorModule

// RMSNorm on the tape; the forward is the inference kernel `llamaRMSNorm`.
extension Tape {
    /// RMSNorm of each row of `x` (`[rows, n]`) scaled by `weight` (`[n]`):
    /// `y = w ⊙ x · r` with `r = 1/√(mean(x²) + eps)`.
    public func rmsNorm(_ x: Variable, weight: Variable, eps: Float) throws(ModelError) -> Variable {
        let input = value(x), w = value(weight)
        guard input.ndim == 2, w.shape == [input.shape[1]] else {
            throw ModelError("rmsNorm: expected x [rows, n] and weight [n], got \(input.shape) and \(w.shape)", kind: .shape)
        }
        let rows = input.shape[0], n = input.shape[1]
        let xv = floatValues(input), wv = floatValues(w)
        let out = withFloats(xv) { px in withFloats(wv) { pw in makeFloats(xv.count) { y in
            llamaRMSNorm(y, px, weight: pw, rows: rows, n: n, eps: eps)
        } } }
        return record(Tensor(shape: input.shape, f32: out), inputs: [x, weight]) { up, needed in
            // With x̂ = r·x and d = dy ⊙ w: dw = Σ_rows dy ⊙ x̂, dx = r·(d − x̂ · mean(d ⊙ x̂)).
            var dw = [Float](repeating: 0, count: n)
            let dx = withFloats(up) { g in withFloats(xv) { px in withFloats(wv) { pw in
                dw.withUnsafeMutableBufferPointer { dwb in makeFloats(xv.count) { dxp in
                    guard let dwp = dwb.baseAddress else { return }
                    for row in 0..<rows {
                        let xr = px + row * n, gr = g + row * n, dxr = dxp + row * n
                        var ss: Float = 0
                        for j in 0..<n { ss += xr[j] * xr[j] }
                        let r = 1 / (ss / Float(n) + eps).squareRoot()
                        var dot: Float = 0
                        for j in 0..<n {
                            let xhat = r * xr[j]
                            dwp[j] += gr[j] * xhat
                            dot += gr[j] * pw[j] * xhat
                        }
                        let meanDot = dot / Float(n)
                        for j in 0..<n { dxr[j] = r * (gr[j] * pw[j] - r * xr[j] * meanDot) }
                    }
                } }
            } } }
            return [needed[0] ? dx : nil, needed[1] ? dw : nil]
        }
    }
}
