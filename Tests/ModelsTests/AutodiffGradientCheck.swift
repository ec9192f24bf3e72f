import Foundation
import Testing
import TensorModule
@testable import Models

// Finite-difference gradient checks for the tape.
//
// Method: values are f32 only, so per-element differences with a tiny step drown in rounding.
// Instead, for each input x_i we draw a random direction u_i (entries uniform in [-1, 1]) and
// compare the tape's directional derivative Σ ∂L/∂x_i · u_i (summed in Double) with central
// differences of the scalar L(x_i + h·u_i), extrapolated (Richardson):
//   D(h) = (L(x + h u) − L(x − h u)) / 2h,   D* = (4·D(h/2) − D(h)) / 3,
// whose truncation error is O(h⁴). With h = 1e-2 rounding contributes about
// 1e-7·|L|/h ≈ 1e-5·|L|. An op with a non-scalar output is reduced to L = Σ y ⊙ r with fixed
// random weights r (a constant leaf), so every output element counts. The error reported is
// |D* − analytic| / (max(|D*|, |analytic|) + 1e-2), and tests want it below 1e-3: a relative
// error with an absolute floor of 1e-5 for derivatives that are (nearly) zero.
//
// A whole model's loss goes through thousands of f32 roundings, which make L(x + h u) noisy
// by ~1e-7·|L| beyond one ulp; a random direction then often gives a directional derivative
// (~1e-2) so small that this noise reaches the tolerance. `alongGradient` uses instead
// u_j = sign(g_j)·r_j (r_j uniform in [0, 1], sign +1 at 0), so the derivative Σ |g_j| r_j has no
// cancellation. It still catches wrong gradients: the finite difference measures the true
// derivative along u, which differs whenever g is wrong in size or sign.

/// A tensor of `shape` with entries uniform in `[lo, hi]`, from a seeded stream.
func uniform(_ shape: [Int], _ lo: Float = -1, _ hi: Float = 1, seed: UInt64) -> Tensor {
    var rng = RandomStream(seed: seed)
    let n = shape.reduce(1, *)
    return Tensor(shape: shape, f32: (0..<n).map { _ in lo + (hi - lo) * rng.nextFloat() })
}

/// `L = Σ y ⊙ r` for fixed random weights `r` (the identity for a scalar `y`).
func weightedSum(_ tape: Tape, _ y: Variable) throws -> Variable {
    let shape = tape.shape(y)
    if shape.reduce(1, *) == 1 { return try tape.reshape(y, []) }
    let r = tape.leaf(uniform(shape, seed: 99), requiresGradient: false)
    return tape.sum(try tape.multiply(y, r))
}

/// The worst relative error between the tape's gradients of `f` and finite differences,
/// over every input (see the method above); `f` builds the scalar loss on a fresh tape.
func gradientError(_ inputs: [Tensor], step h: Double = 1e-2, alongGradient: Bool = false,
                   _ f: (Tape, [Variable]) throws -> Variable) throws -> Double {
    let tape = Tape()
    let leaves = inputs.map { tape.leaf($0) }
    let loss = try weightedSum(tape, try f(tape, leaves))
    let grads = try tape.gradients(of: loss, withRespectTo: leaves)
    var worst = 0.0
    for (i, x) in inputs.enumerated() {
        let random = floats(uniform(x.shape, alongGradient ? 0 : -1, 1, seed: 1000 + UInt64(i)))
        let u = alongGradient ? zip(random, floats(grads[i])).map { $1 < 0 ? -$0 : $0 } : random
        let analytic = zip(floats(grads[i]), u).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        func lossAt(_ t: Double) throws -> Double {
            let shifted = Tensor(shape: x.shape, f32: zip(floats(x), u).map { $0 + Float(t) * $1 })
            var moved = inputs
            moved[i] = shifted
            let tape = Tape()
            let loss = try weightedSum(tape, try f(tape, moved.map { tape.leaf($0) }))
            return tape.value(loss).element(at: 0)
        }
        func central(_ s: Double) throws -> Double { (try lossAt(s) - lossAt(-s)) / (2 * s) }
        let numeric = (4 * (try central(h / 2)) - (try central(h))) / 3
        let error = Swift.abs(numeric - analytic) / (max(Swift.abs(numeric), Swift.abs(analytic)) + 1e-2)
        if error >= 1e-3 { print("input \(i): analytic \(analytic), numeric \(numeric)") }
        worst = max(worst, error)
    }
    return worst
}
