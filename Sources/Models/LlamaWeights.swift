import TensorModule

/// One decoder block's weights; matrices are `[out, in]` (y = W x).
public struct LlamaLayer: Sendable {
    /// RMSNorm weight before attention, `[dim]`.
    public var rmsAtt: Tensor
    /// Query projection `[dim, dim]`.
    public var wq: Tensor
    /// Key projection `[kvDim, dim]`.
    public var wk: Tensor
    /// Value projection `[kvDim, dim]`.
    public var wv: Tensor
    /// Output projection `[dim, dim]`.
    public var wo: Tensor
    /// RMSNorm weight before the FFN, `[dim]`.
    public var rmsFFN: Tensor
    /// Gate projection `[hidden, dim]`.
    public var w1: Tensor
    /// Down projection `[dim, hidden]`.
    public var w2: Tensor
    /// Up projection `[hidden, dim]`.
    public var w3: Tensor

    /// A block from its tensors.
    public init(rmsAtt: Tensor, wq: Tensor, wk: Tensor, wv: Tensor, wo: Tensor, rmsFFN: Tensor,
                w1: Tensor, w2: Tensor, w3: Tensor) {
        self.rmsAtt = rmsAtt
        self.wq = wq
        self.wk = wk
        self.wv = wv
        self.wo = wo
        self.rmsFFN = rmsFFN
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }
}

extension LlamaLayer {
    /// The block's tensor names (as files and `model.layers[i]` spell them) in one order,
    /// with where each lives.
    // Key paths are immutable values; the array is never mutated.
    public nonisolated(unsafe) static let tensors: [(name: String, path: WritableKeyPath<LlamaLayer, Tensor>)] = [
        ("rms_att", \.rmsAtt), ("wq", \.wq), ("wk", \.wk), ("wv", \.wv), ("wo", \.wo), ("rms_ffn", \.rmsFFN),
        ("w1", \.w1), ("w2", \.w2), ("w3", \.w3),
    ]
}

/// All weights of a LLaMA-family model (f32 tensors).
public struct LlamaWeights: Sendable {
    /// The shape.
    public var config: LlamaConfig
    /// Token embedding `[vocab, dim]`.
    public var tokenEmbedding: Tensor
    /// Decoder blocks in order.
    public var layers: [LlamaLayer]
    /// Final RMSNorm weight `[dim]`.
    public var rmsFinal: Tensor
    /// Separate classifier `[vocab, dim]`; nil when tied to the embedding.
    public var classifier: Tensor?
    /// Block linears the forward runs through a kernel instead of their dense matrix, by
    /// tensor name (`layers.0.wq`); each applies only while its weight is unchanged.
    public var compressed: [String: CompressedLinear] = [:]

    /// A model from its parts.
    public init(config: LlamaConfig, tokenEmbedding: Tensor, layers: [LlamaLayer], rmsFinal: Tensor, classifier: Tensor?) {
        self.config = config
        self.tokenEmbedding = tokenEmbedding
        self.layers = layers
        self.rmsFinal = rmsFinal
        self.classifier = classifier
    }

    /// The classifier matrix `[vocab, dim]` (the embedding when tied).
    public var outputMatrix: Tensor { classifier ?? tokenEmbedding }
}
