import TensorModule

/// The rotary-embedding tables of a model: the inference path's `cos`/`sin` for every
/// position below `seqLen`, the head size and the pairing style.
public struct RopeTable: Sendable {
    /// Width of one head (even).
    public let headSize: Int
    /// How dimensions are paired.
    public let style: RopeStyle
    /// The number of positions covered (`config.seqLen`).
    public let positions: Int
    let cos: [Float], sin: [Float]
    /// `-sin`: rotating by the negative angle is the transpose of the rotation (the backward).
    let negatedSin: [Float]

    /// The tables of `config` (its head size, `ropeTheta`, `ropeStyle` and `seqLen`).
    public init(config: LlamaConfig) {
        headSize = config.headSize
        style = config.ropeStyle
        positions = config.seqLen
        (cos, sin) = ropeTables(config)
        negatedSin = sin.map { -$0 }
    }
}

// RoPE on the tape; the forward is the inference kernel `llamaRoPE`.
extension Tape {
    /// Rotary embedding of `x` (`[rows, width]`, heads of `table.headSize` side by side), row
    /// `r` at position `positions[r]`. The backward rotates by the opposite angles.
    public func rope(_ x: Variable, positions: [Int], table: RopeTable) throws(ModelError) -> Variable {
        let input = value(x)
        let hs = table.headSize
        guard input.ndim == 2, hs > 0, input.shape[1] % hs == 0, input.shape[0] == positions.count else {
            throw ModelError("rope: expected x [rows, heads × \(hs)] with one position per row, got \(input.shape) and \(positions.count) positions",
                             kind: .shape)
        }
        if let bad = positions.first(where: { $0 < 0 || $0 >= table.positions }) {
            throw ModelError("rope: position \(bad) is outside 0..<\(table.positions)")
        }
        let width = input.shape[1]
        func rotate(_ v: [Float], sin: [Float]) -> [Float] {
            var out = v
            out.withUnsafeMutableBufferPointer { o in
                guard let base = o.baseAddress else { return }
                withFloats(table.cos) { c in withFloats(sin) { s in
                    for (r, p) in positions.enumerated() {
                        llamaRoPE(base + r * width, rows: 1, width: width, headSize: hs, start: p, cos: c, sin: s, style: table.style)
                    }
                } }
            }
            return out
        }
        let out = rotate(floatValues(input), sin: table.sin)
        return record(Tensor(shape: input.shape, f32: out), inputs: [x]) { up, _ in [rotate(up, sin: table.negatedSin)] }
    }
}
