/// Global-norm gradient clipping (PyTorch `clip_grad_norm_`): when the ℓ2 norm of all
/// gradients together exceeds `maxNorm`, every gradient is scaled by
/// `maxNorm / (norm + 1e-6)`. Returns the norm before clipping (summed in Double).
@discardableResult
public func clipGradientNorm(_ gradients: inout [Tensor], maxNorm: Double) -> Double {
    var sum = 0.0
    for g in gradients {
        g.floats().withUnsafeBufferPointer { p in
            for j in 0..<p.count { sum += Double(p[j]) * Double(p[j]) }
        }
    }
    let norm = sum.squareRoot()
    let coefficient = maxNorm / (norm + 1e-6)
    guard coefficient < 1 else { return norm }
    let scale = Float(coefficient)
    gradients = gradients.map { g in Tensor(shape: g.shape, f32: g.floats().map { $0 * scale }) }
    return norm
}
