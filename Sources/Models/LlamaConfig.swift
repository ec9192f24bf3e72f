/// How rotary embeddings pair the dimensions of a head.
public enum RopeStyle: String, Sendable, CaseIterable {
    /// llama2.c: pairs `(2i, 2i+1)`.
    case interleaved
    /// Hugging Face `rotate_half`: pairs `(i, i + headSize/2)`.
    case half
}

/// The widths of one decoder block, which differ between blocks once a model has been pruned
/// structurally (FFN neurons or attention heads removed).
public struct LlamaBlockShape: Sendable, Equatable {
    /// FFN hidden width (rows of `w1`, `w3`; columns of `w2`).
    public var hiddenDim: Int
    /// Query heads.
    public var nHeads: Int
    /// Key/value heads (grouped-query attention when fewer than `nHeads`).
    public var nKVHeads: Int

    /// A block shape.
    public init(hiddenDim: Int, nHeads: Int, nKVHeads: Int) {
        self.hiddenDim = hiddenDim
        self.nHeads = nHeads
        self.nKVHeads = nKVHeads
    }
}

/// The shape of a LLaMA-family model (llama2.c's `Config`, plus what safetensors configs
/// add): dimensions, per-block widths, vocabulary and the RoPE/normalisation constants.
public struct LlamaConfig: Sendable, Equatable {
    /// Model width (residual stream).
    public var dim: Int
    /// Width of one attention head.
    public var headSize: Int
    /// Widths of each decoder block, in order.
    public var blocks: [LlamaBlockShape]
    /// Vocabulary size.
    public var vocabSize: Int
    /// Maximum sequence length.
    public var seqLen: Int
    /// RMSNorm epsilon.
    public var normEps: Float = 1e-5
    /// RoPE base.
    public var ropeTheta: Float = 10000
    /// How RoPE pairs dimensions.
    public var ropeStyle: RopeStyle = .interleaved
    /// True when the classifier is the token embedding.
    public var tiedEmbeddings: Bool

    /// A config whose blocks all have the same widths, with llama2.c's defaults for
    /// `normEps`, `ropeTheta` and `ropeStyle`, and `headSize = dim / nHeads`.
    public init(dim: Int, hiddenDim: Int, nLayers: Int, nHeads: Int, nKVHeads: Int, vocabSize: Int,
                seqLen: Int, tiedEmbeddings: Bool) {
        self.dim = dim
        self.headSize = nHeads > 0 ? dim / nHeads : 0
        self.blocks = Array(repeating: LlamaBlockShape(hiddenDim: hiddenDim, nHeads: nHeads, nKVHeads: nKVHeads),
                            count: max(nLayers, 0))
        self.vocabSize = vocabSize
        self.seqLen = seqLen
        self.tiedEmbeddings = tiedEmbeddings
    }

    /// A config with explicit per-block widths.
    public init(dim: Int, headSize: Int, blocks: [LlamaBlockShape], vocabSize: Int, seqLen: Int,
                tiedEmbeddings: Bool) {
        self.dim = dim
        self.headSize = headSize
        self.blocks = blocks
        self.vocabSize = vocabSize
        self.seqLen = seqLen
        self.tiedEmbeddings = tiedEmbeddings
    }

    /// Number of decoder blocks.
    public var nLayers: Int { blocks.count }
    /// The widest FFN hidden width over blocks.
    public var hiddenDim: Int { blocks.map(\.hiddenDim).max() ?? 0 }
    /// The most query heads of any block.
    public var nHeads: Int { blocks.map(\.nHeads).max() ?? 0 }
    /// The most key/value heads of any block.
    public var nKVHeads: Int { blocks.map(\.nKVHeads).max() ?? 0 }
    /// The widest key/value projection of any block.
    public var kvDim: Int { nKVHeads * headSize }
    /// The widest query projection (concatenated heads) of any block.
    public var qDim: Int { nHeads * headSize }
    /// True when every block has the widths of the first.
    public var isUniform: Bool { blocks.allSatisfy { $0 == blocks.first } }

    /// Throws unless the numbers describe a model the forward pass can run: positive sizes,
    /// an even head size, and in every block query heads a multiple of the key/value heads,
    /// with the same ratio in every block (a block may have no heads, or no FFN neurons, once
    /// pruned structurally).
    public func validate() throws(ModelError) {
        guard dim > 0, headSize > 0, vocabSize > 0, seqLen > 0, !blocks.isEmpty else {
            throw ModelError("config: dim, head_size, vocab_size, seq_len and n_layers must be positive, got dim \(dim), head_size \(headSize), vocab_size \(vocabSize), seq_len \(seqLen), n_layers \(blocks.count)")
        }
        guard headSize % 2 == 0 else {
            throw ModelError("config: head_size must be even for rope, got \(headSize)")
        }
        guard normEps > 0, ropeTheta > 0 else {
            throw ModelError("config: norm_eps and rope_theta must be positive, got \(normEps) and \(ropeTheta)")
        }
        // The ratio of the first block with key/value heads; a block shrunk to no heads has none.
        let first = blocks.first { $0.nKVHeads > 0 }
        let ratio = first.map { $0.nHeads / $0.nKVHeads } ?? 0
        for (i, b) in blocks.enumerated() {
            guard b.hiddenDim >= 0, b.nKVHeads >= 0, b.nHeads == b.nKVHeads * ratio, ratio > 0 || b.nKVHeads == 0 else {
                let rule = ratio > 0 ? "n_heads must be \(ratio) × n_kv_heads in every block"
                    : "key/value heads need query heads (n_heads a positive multiple of n_kv_heads)"
                throw ModelError("config: block \(i) has hidden_dim \(b.hiddenDim), n_heads \(b.nHeads), n_kv_heads \(b.nKVHeads); \(rule)")
            }
        }
    }
}

extension LlamaConfig {
    /// One value of the config as builtins.md spells it.
    public enum FieldValue: Sendable, Equatable {
        case integer(Int)
        /// A per-block width that differs between blocks.
        case integers([Int])
        case real(Float)
        case text(String)
        case flag(Bool)
    }

    /// The config's keys and values in builtins.md's order, per-block widths as one number
    /// when every block agrees: the one list that the JSON config and `model.config` show.
    public var fields: [(key: String, value: FieldValue)] {
        func widths(_ values: [Int]) -> FieldValue {
            Set(values).count == 1 ? .integer(values[0]) : .integers(values)
        }
        return [
            ("dim", .integer(dim)),
            ("hidden_dim", widths(blocks.map(\.hiddenDim))),
            ("n_layers", .integer(nLayers)),
            ("n_heads", widths(blocks.map(\.nHeads))),
            ("n_kv_heads", widths(blocks.map(\.nKVHeads))),
            ("head_size", .integer(headSize)),
            ("vocab_size", .integer(vocabSize)),
            ("seq_len", .integer(seqLen)),
            ("norm_eps", .real(normEps)),
            ("rope_theta", .real(ropeTheta)),
            ("rope_style", .text(ropeStyle.rawValue)),
            ("tied_embeddings", .flag(tiedEmbeddings)),
        ]
    }
}
