import TensorModule

/// Random layers and calibration inputs for the pruning tests, from the project's seeded
/// stream (deterministic on every machine).
enum TestLayers {
    /// A random normal weight `[rows, columns]`.
    static func weight(_ rows: Int, _ columns: Int, seed: UInt64) -> Tensor {
        var rng = RandomStream(seed: seed)
        return Tensor.randn([rows, columns], rng: &rng)
    }

    /// Random f32 scores on a coarse grid (multiples of 1/4 in [0, levels/4)), so many are
    /// equal and ties decide entries.
    static func tiedScores(_ rows: Int, _ columns: Int, levels: UInt64, seed: UInt64) -> Tensor {
        var rng = RandomStream(seed: seed)
        let values = (0..<(rows * columns)).map { _ in Float(rng.nextInt(below: levels)) / 4 }
        return Tensor(shape: [rows, columns], f32: values)
    }

    /// Calibration inputs X `[tokens, inputs]` (row-major f64) that look like an LLM's: a few
    /// latent factors make the columns correlated, and every 8th column is an outlier feature
    /// `outlierScale` (default 25) times larger than the rest.
    static func correlatedInputs(tokens: Int, inputs: Int, seed: UInt64, outlierScale: Double = 25) -> [Double] {
        var rng = RandomStream(seed: seed)
        let factors = 6
        let loading = (0..<(factors * inputs)).map { _ in rng.nextNormal() }
        var x = [Double](repeating: 0, count: tokens * inputs)
        for t in 0..<tokens {
            let z = (0..<factors).map { _ in rng.nextNormal() }
            for j in 0..<inputs {
                var v = 0.3 * rng.nextNormal()
                for f in 0..<factors { v += z[f] * loading[f * inputs + j] }
                x[t * inputs + j] = j % 8 == 3 ? outlierScale * v : v
            }
        }
        return x
    }

    /// G = XᵀX `[inputs, inputs]` as an f32 tensor (what `calibrate` returns).
    static func gram(_ x: [Double], tokens: Int, inputs: Int) -> Tensor {
        var g = [Double](repeating: 0, count: inputs * inputs)
        for t in 0..<tokens {
            for i in 0..<inputs {
                let xi = x[t * inputs + i]
                for j in 0..<inputs { g[i * inputs + j] += xi * x[t * inputs + j] }
            }
        }
        return Tensor(shape: [inputs, inputs], f32: g.map { Float($0) })
    }

    /// `act_norm` = sqrt(Σ_t x_tj² / samples) `[inputs]` (algorithms.md §1).
    static func actNorm(_ x: [Double], tokens: Int, inputs: Int, samples: Int) -> Tensor {
        var sums = [Double](repeating: 0, count: inputs)
        for t in 0..<tokens {
            for j in 0..<inputs { sums[j] += x[t * inputs + j] * x[t * inputs + j] }
        }
        return Tensor(shape: [inputs], f32: sums.map { Float(($0 / Double(samples)).squareRoot()) })
    }

    /// The elements of a bool tensor.
    static func bools(_ t: Tensor) -> [Bool] {
        guard case .bool(let b) = t.data else { preconditionFailure("not a bool tensor") }
        return b
    }

    /// A bool tensor from rows of 0/1.
    static func mask(_ rows: [[Int]]) -> Tensor {
        Tensor(shape: [rows.count, rows.first?.count ?? 0], bool: rows.flatMap { $0.map { $0 != 0 } })
    }

    /// An f32 matrix from rows.
    static func matrix(_ rows: [[Float]]) -> Tensor {
        Tensor(shape: [rows.count, rows.first?.count ?? 0], f32: rows.flatMap { $0 })
    }

    /// The number of kept (true) entries of each row of a 2-D bool mask.
    static func keptPerRow(_ mask: Tensor) -> [Int] {
        let b = bools(mask), columns = mask.shape[1]
        return (0..<mask.shape[0]).map { r in (0..<columns).filter { b[r * columns + $0] }.count }
    }
}
