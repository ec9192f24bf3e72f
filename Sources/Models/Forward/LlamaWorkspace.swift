import TensorModule

/// The weights of a `LlamaWeights` as flat row-major arrays, checked once: every tensor must be
/// f32 with the element count its config implies.
struct LlamaFlatWeights: Sendable {
    /// One decoder block's arrays (`[out, in]` matrices).
    struct Layer: Sendable {
        let rmsAtt, wq, wk, wv, wo, rmsFFN, w1, w2, w3: [Float]
    }

    let config: LlamaConfig
    let embedding: [Float]
    let layers: [Layer]
    let rmsFinal: [Float]
    let classifier: [Float]

    /// Flattens and validates `weights`; throws when a tensor has the wrong dtype or size.
    init(_ weights: LlamaWeights) throws {
        let c = weights.config
        guard c.dim > 0, c.nHeads > 0, c.nKVHeads > 0, c.dim % c.nHeads == 0, c.nHeads % c.nKVHeads == 0,
              c.headSize % 2 == 0, c.hiddenDim > 0, c.vocabSize > 0, c.seqLen > 0 else {
            throw ModelError("llama config is inconsistent: dim \(c.dim), heads \(c.nHeads), kv heads \(c.nKVHeads)")
        }
        guard weights.layers.count == c.nLayers else {
            throw ModelError("expected \(c.nLayers) layers, got \(weights.layers.count)")
        }
        func flat(_ t: Tensor, _ name: String, _ count: Int) throws -> [Float] {
            guard case .f32(let values) = t.data else {
                throw ModelError("\(name): expected f32, got \(t.dtype.rawValue)")
            }
            guard values.count == count else {
                throw ModelError("\(name): expected \(count) elements, got \(values.count)")
            }
            return values
        }
        let d = c.dim, kv = c.kvDim, h = c.hiddenDim
        config = c
        embedding = try flat(weights.tokenEmbedding, "token_embedding", c.vocabSize * d)
        layers = try weights.layers.enumerated().map { index, l in
            Layer(rmsAtt: try flat(l.rmsAtt, "layer \(index) rms_att", d),
                  wq: try flat(l.wq, "layer \(index) wq", d * d),
                  wk: try flat(l.wk, "layer \(index) wk", kv * d),
                  wv: try flat(l.wv, "layer \(index) wv", kv * d),
                  wo: try flat(l.wo, "layer \(index) wo", d * d),
                  rmsFFN: try flat(l.rmsFFN, "layer \(index) rms_ffn", d),
                  w1: try flat(l.w1, "layer \(index) w1", h * d),
                  w2: try flat(l.w2, "layer \(index) w2", d * h),
                  w3: try flat(l.w3, "layer \(index) w3", h * d))
        }
        rmsFinal = try flat(weights.rmsFinal, "rms_final", d)
        classifier = try flat(weights.outputMatrix, "classifier", c.vocabSize * d)
    }

    /// Throws unless every token is a vocabulary id.
    func checkTokens<S: Sequence>(_ tokens: S, _ name: String) throws where S.Element == Int32 {
        for (i, t) in tokens.enumerated() where t < 0 || Int(t) >= config.vocabSize {
            throw ModelError("\(name)[\(i)]: expected a token id in 0..<\(config.vocabSize), got \(t)")
        }
    }
}

/// All scratch memory of a forward pass in one array: activations for `rows` rows, attention
/// scores, logits, and a key/value cache of `cacheRows` positions per layer.
struct LlamaWorkspace: Sendable {
    let rows: Int
    let cacheRows: Int
    let x, xb, q, att, hb, hb2, scores, logits, keys, values: Int
    var storage: [Float]

    /// Scratch for `rows` rows at a time and a cache of `cacheRows` positions.
    init(config c: LlamaConfig, rows: Int, cacheRows: Int) {
        self.rows = rows
        self.cacheRows = cacheRows
        let act = rows * c.dim, ffn = rows * c.hiddenDim, cache = c.nLayers * cacheRows * c.kvDim
        x = 0
        xb = x + act
        q = xb + act
        att = q + act
        hb = att + act
        hb2 = hb + ffn
        scores = hb2 + ffn
        logits = scores + rows * cacheRows
        keys = logits + rows * c.vocabSize
        values = keys + cache
        storage = [Float](repeating: 0, count: values + cache)
    }
}
