import Foundation
import TensorModule

/// The weights of a `LlamaWeights` as flat row-major arrays, checked once: every tensor must be
/// f32 with the element count its config implies (per block, so pruned widths work).
struct LlamaFlatWeights: Sendable {
    /// One decoder block's arrays (`[out, in]` matrices) and widths.
    struct Layer: Sendable {
        let shape: LlamaBlockShape
        let rmsAtt, wq, wk, wv, wo, rmsFFN, w1, w2, w3: [Float]
    }

    let config: LlamaConfig
    let embedding: [Float]
    let layers: [Layer]
    let rmsFinal: [Float]
    let classifier: [Float]
    /// `theta^(-2i/headSize)` for `i in 0..<headSize/2`: the RoPE frequency of pair `i`.
    let ropeFrequencies: [Float]

    /// Flattens and validates `weights`; throws when a tensor has the wrong dtype or size.
    init(_ weights: LlamaWeights) throws(ModelError) {
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
        let d = c.dim, hs = c.headSize
        config = c
        embedding = try flat(weights.tokenEmbedding, "token_embedding", [c.vocabSize, d])
        var layers: [Layer] = []
        for (i, l) in weights.layers.enumerated() {
            let b = c.blocks[i], q = b.nHeads * hs, kv = b.nKVHeads * hs, h = b.hiddenDim
            let p = "layers.\(i)."
            layers.append(Layer(shape: b,
                                rmsAtt: try flat(l.rmsAtt, p + "rms_att", [d]),
                                wq: try flat(l.wq, p + "wq", [q, d]),
                                wk: try flat(l.wk, p + "wk", [kv, d]),
                                wv: try flat(l.wv, p + "wv", [kv, d]),
                                wo: try flat(l.wo, p + "wo", [d, q]),
                                rmsFFN: try flat(l.rmsFFN, p + "rms_ffn", [d]),
                                w1: try flat(l.w1, p + "w1", [h, d]),
                                w2: try flat(l.w2, p + "w2", [d, h]),
                                w3: try flat(l.w3, p + "w3", [h, d])))
        }
        self.layers = layers
        rmsFinal = try flat(weights.rmsFinal, "rms_final", [d])
        classifier = try flat(weights.outputMatrix, c.tiedEmbeddings ? "token_embedding" : "wcls", [c.vocabSize, d])
        ropeFrequencies = (0..<(hs / 2)).map { i in 1 / powf(c.ropeTheta, Float(2 * i) / Float(hs)) }
    }

    /// Throws unless every token is a vocabulary id.
    func checkTokens<S: Sequence>(_ tokens: S, _ name: String) throws(ModelError) where S.Element == Int32 {
        for (i, t) in tokens.enumerated() where t < 0 || Int(t) >= config.vocabSize {
            throw ModelError("\(name)[\(i)]: expected a token id in 0..<\(config.vocabSize), got \(t)")
        }
    }
}

/// All scratch memory of a forward pass in one array: activations for `rows` rows, attention
/// scores, logits, and a key/value cache of `cacheRows` positions per layer. Widths are the
/// widest of any block; each block uses its own row strides inside them.
struct LlamaWorkspace: Sendable {
    let rows: Int
    let cacheRows: Int
    /// Floats per layer in the key (and the value) cache.
    let cacheStride: Int
    let x, xb, q, att, hb, hb2, scores, logits, keys, values: Int
    var storage: [Float]

    /// Scratch for `rows` rows at a time and a cache of `cacheRows` positions.
    init(config c: LlamaConfig, rows: Int, cacheRows: Int) {
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
        keys = logits + rows * c.vocabSize
        values = keys + cache
        storage = [Float](repeating: 0, count: values + cache)
    }
}
