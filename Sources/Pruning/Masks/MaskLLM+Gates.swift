import Foundation
import TensorModule

// MaskLLM's per-layer state and kernels (algorithms.md §6): the candidate patterns, the gates
// `[out, in/m, C]`, the Gumbel-softmax soft mask, the analytic backward to the gates and the
// final hard mask. Group g of a layer covers the flat weight entries `g·m ..< g·m + m` (row
// r, columns `k·m ..< k·m + m`, g = r·in/m + k), so every loop runs over flat buffers.

extension MaskLLM {
    /// The C(m, n) keep-patterns of a group, lexicographic by kept positions (2:4: 1100, 1010,
    /// 1001, 0110, 0101, 0011), as a flat 0/1 table `[C, m]`.
    struct Candidates: Sendable {
        let n: Int, m: Int
        /// The number of patterns C.
        let count: Int
        /// `table[c·m + j]` = 1 when pattern c keeps position j.
        let table: [Float]

        init(n: Int, m: Int) {
            self.n = n
            self.m = m
            var table: [Float] = []
            var chosen: [Int] = []
            func extend(from start: Int) {
                if chosen.count == n {
                    var row = [Float](repeating: 0, count: m)
                    for j in chosen { row[j] = 1 }
                    table += row
                    return
                }
                guard start < m else { return }
                for j in start..<m {
                    chosen.append(j)
                    extend(from: j + 1)
                    chosen.removeLast()
                }
            }
            extend(from: 0)
            self.table = table
            count = table.count / m
        }
    }

    /// One soft-mask sample of a layer: the softmax `y` `[groups, C]`, the soft mask `m`
    /// (flat like the weight) and the masked weight `W ⊙ m`.
    struct Sample {
        var y: [Float]
        var mask: [Float]
        var masked: Tensor
    }

    /// One layer's frozen weight and learnable gates.
    struct GatedLayer {
        let rows: Int, columns: Int
        let weight: [Float]
        let patterns: Candidates
        /// `[groups, C]`, row-major.
        var gates: [Float]
        var groups: Int { rows * columns / patterns.m }

        /// Gates N(0, 0.01²) drawn from `rng` for a 2-d `weight` whose inputs fit the pattern.
        init(weight w: Tensor, patterns: Candidates, rng: inout RandomStream) throws(PruningError) {
            guard w.ndim == 2 else {
                throw PruningError("w must be a 2-d weight [out, in], got shape \(formatShape(w.shape))", kind: .shape)
            }
            do {
                try PruningTarget.nm(n: patterns.n, m: patterns.m).check(shape: w.shape)
            } catch let error as PruningError {
                throw error
            } catch {
                preconditionFailure("PruningTarget.check throws PruningError only: \(error)")
            }
            rows = w.shape[0]
            columns = w.shape[1]
            weight = w.floats()
            self.patterns = patterns
            let count = rows * columns / patterns.m * patterns.count
            gates = (0..<count).map { _ in Float(0.01 * rng.nextNormal()) }
        }

        /// Shifts each gate by `(overlap_c − 1)·std·3`, overlap_c the kept positions pattern c
        /// shares with the one-shot keep-mask `prior` (std: unbiased, over all of the layer's gates).
        mutating func applyPrior(_ prior: Tensor) throws(PruningError) {
            guard prior.shape == [rows, columns] else {
                throw PruningError("prior mask has shape \(formatShape(prior.shape)), the weight \(formatShape([rows, columns]))",
                                   kind: .shape)
            }
            let keep = keptEntries(prior)
            var sum = 0.0, squares = 0.0
            for g in gates { sum += Double(g) }
            let mean = sum / Double(gates.count)
            for g in gates { squares += (Double(g) - mean) * (Double(g) - mean) }
            let std = gates.count > 1 ? (squares / Double(gates.count - 1)).squareRoot() : 0
            let (m, c) = (patterns.m, patterns.count)
            patterns.table.withUnsafeBufferPointer { table in
                for group in 0..<groups {
                    for p in 0..<c {
                        var overlap = 0
                        for j in 0..<m where table[p * m + j] != 0 && keep[group * m + j] { overlap += 1 }
                        gates[group * c + p] += Float(Double(overlap - 1) * std * 3)
                    }
                }
            }
        }

        /// `y = softmax((κ·gate + noise)/τ)` per group, `m = y·candidates`, and `W ⊙ m`.
        func sample(noise: [Float], kappa: Double, tau: Double) -> Sample {
            let (m, c, count) = (patterns.m, patterns.count, groups)
            var y = [Float](repeating: 0, count: gates.count)
            var mask = [Float](repeating: 0, count: weight.count)
            var masked = [Float](repeating: 0, count: weight.count)
            let (scale, inverse) = (Float(kappa), Float(1 / tau))
            gates.withUnsafeBufferPointer { gate in noise.withUnsafeBufferPointer { g in
                patterns.table.withUnsafeBufferPointer { table in weight.withUnsafeBufferPointer { w in
                    y.withUnsafeMutableBufferPointer { yb in mask.withUnsafeMutableBufferPointer { mb in
                        masked.withUnsafeMutableBufferPointer { vb in
                            for group in 0..<count {
                                let base = group * c
                                var top = -Float.infinity
                                for p in 0..<c {
                                    yb[base + p] = (scale * gate[base + p] + g[base + p]) * inverse
                                    top = max(top, yb[base + p])
                                }
                                var total: Float = 0
                                for p in 0..<c {
                                    yb[base + p] = Foundation.exp(yb[base + p] - top)
                                    total += yb[base + p]
                                }
                                for p in 0..<c {
                                    yb[base + p] /= total
                                    for j in 0..<m { mb[group * m + j] += yb[base + p] * table[p * m + j] }
                                }
                                for j in 0..<m { vb[group * m + j] = w[group * m + j] * mb[group * m + j] }
                            }
                        }
                    } }
                } }
            } }
            return Sample(y: y, mask: mask, masked: Tensor(shape: [rows, columns], f32: masked))
        }

        /// The regulariser `λ‖W ⊙ m‖²` of `sample` and the gradient of `loss − λ‖W ⊙ m‖²` with
        /// respect to the gates, from the loss's gradient with respect to `W ⊙ m`:
        /// `∂L/∂m = ∂L/∂(W⊙m) ⊙ W − 2λ W² ⊙ m`, `∂L/∂y = (∂L/∂m grouped)·candidatesᵀ`,
        /// `∂L/∂gate = (κ/τ)·y ⊙ (∂L/∂y − Σ_c y_c ∂L/∂y_c)`.
        func gateGradient(_ sample: Sample, weightGradient: [Float], lambda: Double, kappa: Double,
                          tau: Double) -> (penalty: Double, gradient: [Float]) {
            precondition(weightGradient.count == weight.count, "the gradient must be shaped like the weight")
            let (m, c, count) = (patterns.m, patterns.count, groups)
            var gradient = [Float](repeating: 0, count: gates.count)
            var penalty = 0.0
            let (lam, factor) = (Float(lambda), Float(kappa / tau))
            sample.y.withUnsafeBufferPointer { y in sample.mask.withUnsafeBufferPointer { mask in
                weight.withUnsafeBufferPointer { w in weightGradient.withUnsafeBufferPointer { dv in
                    patterns.table.withUnsafeBufferPointer { table in gradient.withUnsafeMutableBufferPointer { out in
                        var dm = [Float](repeating: 0, count: m), dy = [Float](repeating: 0, count: c)
                        for group in 0..<count {
                            let (wb, yb) = (group * m, group * c)
                            for j in 0..<m {
                                let (x, s) = (w[wb + j], mask[wb + j])
                                penalty += Double(x * s) * Double(x * s)
                                dm[j] = dv[wb + j] * x - 2 * lam * x * x * s
                            }
                            var dot: Float = 0
                            for p in 0..<c {
                                var sum: Float = 0
                                for j in 0..<m { sum += table[p * m + j] * dm[j] }
                                dy[p] = sum
                                dot += y[yb + p] * sum
                            }
                            for p in 0..<c { out[yb + p] = factor * y[yb + p] * (dy[p] - dot) }
                        }
                    } }
                } }
            } }
            return (lambda * penalty, gradient)
        }

        /// The final keep-mask: per group the pattern with the largest gate (the first on ties).
        func hardMask() -> Tensor {
            let (m, c) = (patterns.m, patterns.count)
            var keep = [Bool](repeating: false, count: weight.count)
            for group in 0..<groups {
                var best = 0
                for p in 1..<c where gates[group * c + p] > gates[group * c + best] { best = p }
                for j in 0..<m { keep[group * m + j] = patterns.table[best * m + j] != 0 }
            }
            return Tensor(shape: [rows, columns], bool: keep)
        }
    }
}
