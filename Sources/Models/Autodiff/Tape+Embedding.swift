import TensorModule

// Row gathering on the tape: the token embedding lookup; its backward scatter-adds.
extension Tape {
    /// Rows `ids` of `table` (`[V, d]`), giving `[ids.count, d]`; the gradient of a row used
    /// several times is the sum of its uses.
    public func embedding(_ table: Variable, ids: [Int32]) throws(ModelError) -> Variable {
        let t = value(table)
        guard t.ndim == 2 else {
            throw ModelError("embedding: expected a table [vocab, dim], got shape \(t.shape)", kind: .shape)
        }
        let vocab = t.shape[0], d = t.shape[1]
        for (i, id) in ids.enumerated() where id < 0 || Int(id) >= vocab {
            throw ModelError("embedding: ids[\(i)] = \(id) is outside 0..<\(vocab)")
        }
        let tv = floatValues(t)
        let out = withFloats(tv) { src in makeFloats(ids.count * d) { dst in
            for (r, id) in ids.enumerated() { (dst + r * d).update(from: src + Int(id) * d, count: d) }
        } }
        return record(Tensor(shape: [ids.count, d], f32: out), inputs: [table]) { up, _ in
            [withFloats(up) { g in zeroFloats(tv.count) { dt in
                for (r, id) in ids.enumerated() {
                    let row = dt + Int(id) * d, src = g + r * d
                    for j in 0..<d { row[j] += src[j] }
                }
            } }]
        }
    }
}
