import TensorModule
@testable import Models

/// A small deterministic model: every weight uniform in [-scale, scale] from a seeded stream
/// (2 untied interleaved-RoPE layers by default, dim 8, 2 query heads sharing 1 key/value head).
func tinyModel(seed: UInt64 = 7, nLayers: Int = 2, tied: Bool = false, ropeStyle: RopeStyle = .interleaved) -> LlamaWeights {
    var config = LlamaConfig(dim: 8, hiddenDim: 12, nLayers: nLayers, nHeads: 2, nKVHeads: 1, vocabSize: 11,
                             seqLen: 16, tiedEmbeddings: tied)
    config.ropeStyle = ropeStyle
    return tinyModel(config: config, seed: seed)
}

/// A small deterministic model of any shape (per-block widths included): every weight
/// uniform in [-scale, scale] from a seeded stream.
func tinyModel(config: LlamaConfig, seed: UInt64) -> LlamaWeights {
    var rng = RandomStream(seed: seed)
    func tensor(_ shape: [Int], scale: Float = 0.5, offset: Float = 0) -> Tensor {
        let n = shape.reduce(1, *)
        let values = (0..<n).map { _ in
            offset + scale * (Float(rng.next() >> 40) / Float(1 << 24) * 2 - 1)
        }
        return Tensor(shape: shape, f32: values)
    }
    let d = config.dim, hs = config.headSize
    let layers = config.blocks.map { b in
        let q = b.nHeads * hs, kv = b.nKVHeads * hs, h = b.hiddenDim
        return LlamaLayer(rmsAtt: tensor([d], scale: 0.2, offset: 1), wq: tensor([q, d]), wk: tensor([kv, d]),
                          wv: tensor([kv, d]), wo: tensor([d, q]), rmsFFN: tensor([d], scale: 0.2, offset: 1),
                          w1: tensor([h, d]), w2: tensor([d, h]), w3: tensor([h, d]))
    }
    return LlamaWeights(config: config, tokenEmbedding: tensor([config.vocabSize, d], scale: 1), layers: layers,
                        rmsFinal: tensor([d], scale: 0.2, offset: 1),
                        classifier: config.tiedEmbeddings ? nil : tensor([config.vocabSize, d], scale: 1))
}

func floats(_ t: Tensor) -> [Float] {
    guard case .f32(let values) = t.data else { return [] }
    return values
}
