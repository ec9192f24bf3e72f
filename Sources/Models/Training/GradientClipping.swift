/// Global-norm gradient clipping (PyTorch's `clip_grad_norm_`): when the ℓ2 norm of all
/// gradients together exceeds `maxNorm`, every gradient is scaled by `maxNorm / norm`.
/// Returns the norm before clipping (summed in Double). `maxNorm` nil or ≤ 0 only measures.
@discardableResult
public func clipGradientNorm(_ gradients: inout [[Float]], maxNorm: Double?) -> Double {
    var squares = 0.0
    for g in gradients {
        g.withUnsafeBufferPointer { buf in
            for x in buf { squares += Double(x) * Double(x) }
        }
    }
    let norm = squares.squareRoot()
    guard let maxNorm, maxNorm > 0, norm > maxNorm else { return norm }
    let scale = Float(maxNorm / (norm + 1e-6))
    for i in gradients.indices {
        gradients[i].withUnsafeMutableBufferPointer { buf in
            for j in buf.indices { buf[j] *= scale }
        }
    }
    return norm
}
