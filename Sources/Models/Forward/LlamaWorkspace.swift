import Foundation
import TensorModule

/// The weights of a `LlamaWeights` as flat row-major arrays, checked once: every tensor must be
/// f32 with the element count its config implies (per block, so pruned widths work).
struct LlamaFlatWeights: Sendable {
    /// One decoder block's arrays (`[out, in]` matrices) and widths.
    struct Layer: Sendable {
        let shape: LlamaBlockShape
        let rmsAtt, rmsFFN: [Float]
        let wq, wk, wv, wo, w1, w2, w3: LinearWeight
    }

    let config: LlamaConfig
    let embedding: [Float]
    let layers: [Layer]
    let rmsFinal: [Float]
    let classifier: LinearWeight
    /// RoPE rotations: `cos` and `sin` of `pos × theta^(-2i/headSize)` at
    /// `[pos · headSize/2 + i]` for every position and pair, computed once (the angles in f32
    /// as run.c computes them).
    let ropeCos: [Float], ropeSin: [Float]

    /// Flattens and validates `weights`; throws when a tensor has the wrong dtype or size.
    /// `forDecoding` also keeps transposed copies of the small matrices for one-row products.
    init(_ weights: LlamaWeights, forDecoding: Bool = false) throws(ModelError) {
        let c = weights.config
        try c.validate()
        guard weights.layers.count == c.nLayers else {
            throw ModelError("expected \(c.nLayers) layers, got \(weights.layers.count)", kind: .shape)
        }
        func flat(_ t: Tensor, _ name: String, _ shape: [Int]) throws(ModelError) -> [Float] {
            guard case .f32(let values) = t.data else {
                throw ModelError("\(name): expected f32, got \(t.dtype.rawValue)")
            }
            guard t.shape == shape else {
                throw ModelError("\(name): expected shape \(shape), got \(t.shape)", kind: .shape)
            }
            return values
        }
        func linear(_ t: Tensor, _ name: String, _ shape: [Int]) throws(ModelError) -> LinearWeight {
            LinearWeight(try flat(t, name, shape), outDim: shape[0], inDim: shape[1], transpose: forDecoding,
                         kernel: weights.kernel(for: name, holding: t))
        }
        let d = c.dim, hs = c.headSize
        config = c
        embedding = try flat(weights.tokenEmbedding, "token_embedding", [c.vocabSize, d])
        var layers: [Layer] = []
        for (i, l) in weights.layers.enumerated() {
            let b = c.blocks[i], q = b.nHeads * hs, kv = b.nKVHeads * hs, h = b.hiddenDim
            let p = "layers.\(i)."
            layers.append(Layer(shape: b,
                                rmsAtt: try flat(l.rmsAtt, p + "rms_att", [d]),
                                rmsFFN: try flat(l.rmsFFN, p + "rms_ffn", [d]),
                                wq: try linear(l.wq, p + "wq", [q, d]),
                                wk: try linear(l.wk, p + "wk", [kv, d]),
                                wv: try linear(l.wv, p + "wv", [kv, d]),
                                wo: try linear(l.wo, p + "wo", [d, q]),
                                w1: try linear(l.w1, p + "w1", [h, d]),
                                w2: try linear(l.w2, p + "w2", [d, h]),
                                w3: try linear(l.w3, p + "w3", [h, d])))
        }
        self.layers = layers
        rmsFinal = try flat(weights.rmsFinal, "rms_final", [d])
        classifier = try linear(weights.outputMatrix, c.tiedEmbeddings ? "token_embedding" : "wcls", [c.vocabSize, d])
        (ropeCos, ropeSin) = ropeTables(c)
    }

    /// Throws unless every token is a vocabulary id.
    func checkTokens<S: Sequence>(_ tokens: S, _ name: String) throws(ModelError) where S.Element == Int32 {
        for (i, t) in tokens.enumerated() where t < 0 || Int(t) >= config.vocabSize {
            throw ModelError("\(name)[\(i)]: expected a token id in 0..<\(config.vocabSize), got \(t)")
        }
    }
}

/// RoPE rotations for every position `0..<seqLen` and pair: `cos` and `sin` of
/// `pos × theta^(-2i/headSize)` at `[pos · headSize/2 + i]` (the angles in f32 as run.c
/// computes them). Shared by the inference forward and the autodiff tape.
func ropeTables(_ c: LlamaConfig) -> (cos: [Float], sin: [Float]) {
    let hs = c.headSize
    let frequencies = (0..<(hs / 2)).map { i in 1 / powf(c.ropeTheta, Float(2 * i) / Float(hs)) }
    let angles = (0..<c.seqLen).flatMap { pos in frequencies.map { Float(pos) * $0 } }
    return (angles.map(cosf), angles.map(sinf))
}

/// Where each buffer of a forward pass sits in a `LlamaWorkspace`'s storage: activations for
/// `rows` rows, attention scores, logits, and a key/value cache of `cacheRows` positions per
/// layer. Widths are the widest of any block; each block uses its own row strides inside
/// them. Kept apart from the storage so kernels can hold it without retaining the array
/// (which would make every write copy it).
struct LlamaLayout: Sendable {
    let rows: Int
    let cacheRows: Int
    /// Floats per layer in the key (and the value) cache.
    let cacheStride: Int
    let x, xb, q, att, hb, hb2, scores, logits, key, keys, values: Int
    /// Floats in all.
    let count: Int
    /// True for one-row decoding: each layer's keys are stored transposed, `[kvDim, cacheRows]`,
    /// so a query's scores against every cached key are contiguous multiply-adds.
    let keysTransposed: Bool

    /// Offsets for `rows` rows at a time and a cache of `cacheRows` positions.
    init(config c: LlamaConfig, rows: Int, cacheRows: Int, keysTransposed: Bool = false) {
        precondition(!keysTransposed || rows == 1, "transposed keys are for one-row decoding")
        self.keysTransposed = keysTransposed
        self.rows = rows
        self.cacheRows = cacheRows
        let act = rows * c.dim, heads = rows * max(c.qDim, 1), ffn = rows * max(c.hiddenDim, 1)
        cacheStride = cacheRows * max(c.kvDim, 1)
        let cache = c.nLayers * cacheStride
        x = 0
        xb = x + act
        q = xb + act
        att = q + heads
        hb = att + heads
        hb2 = hb + ffn
        scores = hb2 + ffn
        logits = scores + rows * cacheRows
        key = logits + rows * c.vocabSize
        keys = key + max(c.kvDim, 1)
        values = keys + cache
        count = values + cache
    }
}

/// All scratch memory of a forward pass in one array, laid out by `layout`.
struct LlamaWorkspace: Sendable {
    let layout: LlamaLayout
    var storage: [Float]

    /// Zeroed scratch for `rows` rows at a time and a cache of `cacheRows` positions.
    init(config: LlamaConfig, rows: Int, cacheRows: Int, keysTransposed: Bool = false) {
        layout = LlamaLayout(config: config, rows: rows, cacheRows: cacheRows, keysTransposed: keysTransposed)
        storage = [Float](repeating: 0, count: layout.count)
    }
}
