import COpenBLAS
import TensorModule

// MaskLLM on one matrix (algorithms.md §6, per-layer mode): the mask of `W` `[out, in]` learnt
// on the normalised reconstruction loss `tr(D G Dᵀ)/tr(W G Wᵀ) − λ_t‖W ⊙ m‖²/‖W‖²`,
// `D = W ⊙ (1 − m)`, with G = XᵀX the layer's Gram matrix; and the one-shot priors.

extension MaskLLM {
    /// The one-shot keep-mask a run starts from.
    public enum Prior: String, Sendable, CaseIterable {
        /// SparseGPT's no-update selection (algorithms.md §4): the n largest `W²/diag(U)²` per group.
        case sparsegpt
        /// The n largest `|W|` per group.
        case magnitude
    }

    /// The prior's n:m keep-mask for `weight`; "sparsegpt" needs the layer's Gram matrix.
    public static func priorMask(_ prior: Prior, weight: Tensor, gram: Tensor?, n: Int, m: Int) throws -> Tensor {
        let target = PruningTarget.nm(n: n, m: m)
        switch prior {
        case .magnitude:
            return try MaskSelection.keepMask(try Magnitude.scores(weight), target: target)
        case .sparsegpt:
            guard let gram else { preconditionFailure("the sparsegpt prior needs the layer's Gram matrix") }
            let (rows, columns) = try SparseGPT.checkTensors(weight, gram)
            let scores = try SparseGPT.scores(weights: weight.doubles(), rows: rows, columns: columns, hessian: gram.doubles())
            return try MaskSelection.keepMask(ScoreMatrix(rows: rows, columns: columns, values: scores), target: target)
        }
    }

    /// Learns the n:m mask of `weight` `[out, in]` on its reconstruction loss under `gram`
    /// `[in, in]`, starting from `prior` (nil: no prior). Returns the masked weights, the bool
    /// mask and one loss per step.
    public static func learnLayer(weight: Tensor, gram: Tensor, prior: Prior?, options: Options,
                                  random rng: inout RandomStream) throws -> (weights: Tensor, mask: Tensor, losses: [Double]) {
        try options.check()
        let objective = try LayerReconstruction(weight: weight, gram: gram)
        let start = try prior.map { try priorMask($0, weight: weight, gram: gram, n: options.n, m: options.m) }
        let normSquared = weight.doubles().reduce(0) { $0 + $1 * $1 }
        let result = try learn(weights: [weight], priors: [start], regularizerScales: [normSquared > 0 ? 1 / normSquared : 0],
                               options: options, random: &rng) { masked in
            let (value, gradient) = objective.lossAndGradient(masked[0])
            return (value, [gradient])
        }
        let mask = result.masks[0]
        return (try weight.applyingMask(mask), mask, result.losses)
    }

    /// `tr(D G Dᵀ)/tr(W G Wᵀ)` with `D = W − V` for masked weights V, and its gradient
    /// `−(D (G + Gᵀ))/tr(W G Wᵀ)` with respect to V, in f64 with one GEMM.
    struct LayerReconstruction {
        let rows: Int, columns: Int
        let weight: [Double]
        /// `(G + Gᵀ)/2`.
        let gram: [Double]
        /// `tr(W G Wᵀ)`.
        let scale: Double

        init(weight w: Tensor, gram g: Tensor) throws(PruningError) {
            guard w.ndim == 2 else {
                throw PruningError("w must be a 2-d weight [out, in], got shape \(formatShape(w.shape))", kind: .shape)
            }
            (rows, columns) = (w.shape[0], w.shape[1])
            guard g.shape == [columns, columns] else {
                throw PruningError("gram must be [\(columns), \(columns)] (XᵀX over the \(columns) inputs of w "
                                   + "\(formatShape(w.shape))), got \(formatShape(g.shape))", kind: .shape)
            }
            weight = w.doubles()
            let raw = g.doubles()
            guard !weight.contains(where: { !$0.isFinite }), !raw.contains(where: { !$0.isFinite }) else {
                throw PruningError("w and gram must hold finite values (no nan or inf)")
            }
            var symmetric = raw
            for i in 0..<columns {
                for j in 0..<columns { symmetric[i * columns + j] = (raw[i * columns + j] + raw[j * columns + i]) / 2 }
            }
            gram = symmetric
            scale = Self.quadratic(weight, symmetric, rows: rows, columns: columns).value
            guard scale > 0 else {
                throw PruningError("gram gives tr(W G Wᵀ) = \(formatValue(scale)); the layer's output on the calibration "
                                   + "data must be nonzero to normalise the reconstruction loss")
            }
        }

        /// The loss and its gradient with respect to the masked weights `masked`.
        func lossAndGradient(_ masked: Tensor) -> (Double, Tensor) {
            let v = masked.doubles()
            var d = weight
            for i in d.indices { d[i] -= v[i] }
            let (value, product) = Self.quadratic(d, gram, rows: rows, columns: columns)
            let factor = -2 / scale
            return (value / scale, Tensor(shape: [rows, columns], f32: product.map { Float(factor * $0) }))
        }

        /// `tr(A G Aᵀ)` and `A G` for row-major `A` `[rows, columns]`.
        static func quadratic(_ a: [Double], _ g: [Double], rows: Int, columns: Int) -> (value: Double, product: [Double]) {
            var product = [Double](repeating: 0, count: a.count)
            guard rows > 0, columns > 0 else { return (0, product) }
            a.withUnsafeBufferPointer { ap in g.withUnsafeBufferPointer { gp in product.withUnsafeMutableBufferPointer { cp in
                cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(rows), Int32(columns), Int32(columns),
                            1, ap.baseAddress, Int32(columns), gp.baseAddress, Int32(columns), 0, cp.baseAddress, Int32(columns))
            } } }
            var value = 0.0
            for i in a.indices { value += a[i] * product[i] }
            return (value, product)
        }
    }
}
