import TensorModule

extension LlamaWeights {
    /// The model with whole FFN neurons and key/value groups removed physically (structured
    /// pruning, algorithms.md §7 "Model level"): smaller matrices and per-block widths in the
    /// config, the rest unchanged.
    ///
    /// `neurons[i]` lists the FFN neurons block i keeps: rows of `w1`, `w3` and columns of
    /// `w2`. `kvGroups[i]` lists the key/value heads block i keeps; under grouped-query
    /// attention (`nRep = nHeads / nKVHeads` query heads per key/value head) keeping group g
    /// keeps rows `g·headSize ..< (g+1)·headSize` of `wk`, `wv`, the rows of its query heads
    /// `g·nRep ..< (g+1)·nRep` in `wq` and the matching `nRep·headSize` columns of `wo`, so
    /// query head h still reads key/value head h / nRep. A block missing from a dictionary
    /// keeps that part whole. Lists must be sorted, without repeats, inside the block's
    /// widths; an empty list removes the part (the block's attention or FFN then adds
    /// nothing). `headSize` is unchanged; block i gets `nKVHeads = kvGroups[i].count`,
    /// `nHeads = nRep·nKVHeads`, `hiddenDim = neurons[i].count`.
    public func shrunk(neurons: [Int: [Int]] = [:], kvGroups: [Int: [Int]] = [:]) throws(ModelError) -> LlamaWeights {
        let c = config
        for (name, table) in [("neurons", neurons), ("kv groups", kvGroups)] {
            if let block = table.keys.sorted().first(where: { !layers.indices.contains($0) }) {
                throw ModelError("\(name) given for block \(block), but the model has blocks 0..<\(layers.count)")
            }
        }
        var out = self
        for (i, layer) in layers.enumerated() {
            let shape = c.blocks[i], hs = c.headSize
            if let kept = neurons[i] {
                try Self.checkKept(kept, count: shape.hiddenDim, what: "the kept FFN neurons of block \(i) (columns of layers.\(i).w2)")
                out.layers[i].w1 = try Self.select(layer.w1, rows: kept)
                out.layers[i].w3 = try Self.select(layer.w3, rows: kept)
                out.layers[i].w2 = try Self.select(layer.w2, columns: kept)
                out.config.blocks[i].hiddenDim = kept.count
            }
            if let kept = kvGroups[i] {
                try Self.checkKept(kept, count: shape.nKVHeads, what: "the kept key/value groups of block \(i) (of layers.\(i).wo)")
                let nRep = shape.nKVHeads > 0 ? shape.nHeads / shape.nKVHeads : 0
                let kvRows = Self.expand(kept, width: hs), queryRows = Self.expand(kept, width: nRep * hs)
                out.layers[i].wk = try Self.select(layer.wk, rows: kvRows)
                out.layers[i].wv = try Self.select(layer.wv, rows: kvRows)
                out.layers[i].wq = try Self.select(layer.wq, rows: queryRows)
                out.layers[i].wo = try Self.select(layer.wo, columns: queryRows)
                out.config.blocks[i].nKVHeads = kept.count
                out.config.blocks[i].nHeads = kept.count * nRep
            }
        }
        try out.config.validate()
        return out
    }

    /// Throws unless `kept` is sorted, without repeats, and inside `0..<count`.
    static func checkKept(_ kept: [Int], count: Int, what: String) throws(ModelError) {
        if let bad = kept.first(where: { $0 < 0 || $0 >= count }) {
            throw ModelError("\(what): index \(bad) is outside 0..<\(count)")
        }
        for (a, b) in zip(kept, kept.dropFirst()) where a >= b {
            throw ModelError("\(what) must be sorted and without repeats, got \(a) before \(b)")
        }
    }

    /// The positions `g·width ..< (g+1)·width` of every group g, in order.
    static func expand(_ groups: [Int], width: Int) -> [Int] {
        groups.flatMap { g in (g * width)..<((g + 1) * width) }
    }

    /// The rows, or the columns, of a checked `[out, in]` matrix at checked positions.
    static func select(_ matrix: Tensor, rows: [Int]? = nil, columns: [Int]? = nil) throws(ModelError) -> Tensor {
        do {
            if let rows { return try matrix.indexed([.gather(rows), .all]) }
            if let columns { return try matrix.indexed([.all, .gather(columns)]) }
            return matrix
        } catch {
            throw ModelError("a weight does not fit its config: \(error)", kind: .shape)
        }
    }
}
