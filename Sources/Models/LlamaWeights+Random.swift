import TensorModule

extension LlamaWeights {
    /// The standard deviation of every freshly initialised matrix (GPT-2's, as in llama2.c's
    /// `train.py`).
    public static let initStd = 0.02

    /// Freshly initialised weights for `config`, the same on every machine for a seed: every
    /// matrix N(0, 0.02²), with `wo` and `w2` (the projections back into the residual stream)
    /// scaled by 1/√(2·n_layers) so the residual's variance does not grow with depth (GPT-2);
    /// RMSNorm gains 1; no classifier when the embeddings are tied, else one N(0, 0.02²).
    ///
    /// Draws come from one `RandomStream(seed:)` in this order: the token embedding, then per
    /// layer `wq wk wv wo w1 w2 w3`, then the untied classifier; each tensor row-major, each
    /// value `Float(std · nextNormal())`. Throws when the config cannot run.
    public static func random(config: LlamaConfig, seed: UInt64) throws(ModelError) -> LlamaWeights {
        try config.validate()
        var stream = RandomStream(seed: seed)
        func normal(_ shape: [Int], std: Double = initStd) -> Tensor {
            let count = shape.reduce(1, *)
            return Tensor(shape: shape, f32: (0..<count).map { _ in Float(std * stream.nextNormal()) })
        }
        let d = config.dim, residualStd = initStd / (2 * Double(config.nLayers)).squareRoot()
        let embedding = normal([config.vocabSize, d])
        let layers = config.blocks.map { block in
            let q = block.nHeads * config.headSize, kv = block.nKVHeads * config.headSize, h = block.hiddenDim
            return LlamaLayer(rmsAtt: Tensor.ones([d]), wq: normal([q, d]), wk: normal([kv, d]), wv: normal([kv, d]),
                              wo: normal([d, q], std: residualStd), rmsFFN: Tensor.ones([d]), w1: normal([h, d]),
                              w2: normal([d, h], std: residualStd), w3: normal([h, d]))
        }
        return LlamaWeights(config: config, tokenEmbedding: embedding, layers: layers, rmsFinal: Tensor.ones([d]),
                            classifier: config.tiedEmbeddings ? nil : normal([config.vocabSize, d]))
    }
}
