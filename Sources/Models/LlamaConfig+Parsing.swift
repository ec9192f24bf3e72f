extension LlamaConfig {
    /// One config value as a JSON object or a language record holds it, before checking.
    public enum RawValue: Sendable, CustomStringConvertible {
        case number(Double)
        case list([RawValue])
        case text(String)
        case flag(Bool)
        /// A value of another kind, by its type name.
        case other(String)

        /// The value as messages show it (a text without quotes).
        public var description: String {
            switch self {
            case .number(let n): return "\(n)"
            case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
            case .text(let t): return t
            case .flag(let b): return b ? "true" : "false"
            case .other(let type): return type
            }
        }
    }

    /// The keys of `fields` (and of `LlamaConfig(parsing:)`), in builtins.md's order.
    public static let keys = LlamaConfig(dim: 1, hiddenDim: 1, nLayers: 1, nHeads: 1, nKVHeads: 1, vocabSize: 1, seqLen: 1,
                                         tiedEmbeddings: true).fields.map(\.key)

    /// The config described by `fields`, keyed as builtins.md's `save_model` writes them.
    /// Required: `dim`, `hidden_dim`, `n_layers`, `n_heads`, `vocab_size`, `seq_len`;
    /// `hidden_dim`, `n_heads` and `n_kv_heads` are one number or a list with one per layer.
    /// Missing optional keys take llama2.c's values: `n_kv_heads = n_heads`,
    /// `head_size = dim / n_heads`, `norm_eps` 1e-5, `rope_theta` 10000, interleaved RoPE,
    /// tied embeddings. Unknown keys are ignored. Throws a message without a location (the
    /// caller adds it) for a missing or mistyped key or a config that cannot run.
    public init(parsing fields: [String: RawValue]) throws(ModelError) {
        func number(_ key: String) throws(ModelError) -> Double? {
            guard let value = fields[key] else { return nil }
            guard case .number(let n) = value else { throw ModelError("`\(key)` must be a number") }
            return n
        }
        func integer(_ key: String) throws(ModelError) -> Int {
            guard let d = try number(key) else { throw ModelError("missing `\(key)`") }
            guard d.rounded() == d, d >= 0, d < 1e12 else { throw ModelError("`\(key)` must be a non-negative integer, got \(d)") }
            return Int(d)
        }
        let layers = try integer("n_layers")
        func perBlock(_ key: String) throws(ModelError) -> [Int] {
            guard case .list(let list) = fields[key] else { return Array(repeating: try integer(key), count: layers) }
            let values = list.compactMap { item -> Int? in
                guard case .number(let d) = item, d.rounded() == d, d >= 0, d < 1e12 else { return nil }
                return Int(d)
            }
            guard values.count == list.count, values.count == layers else {
                throw ModelError("`\(key)` must be a number or a list of \(layers) non-negative integers (one per layer)")
            }
            return values
        }
        let dim = try integer("dim")
        let hidden = try perBlock("hidden_dim"), heads = try perBlock("n_heads")
        let kvHeads = fields["n_kv_heads"] == nil ? heads : try perBlock("n_kv_heads")
        let headSize = fields["head_size"] == nil ? (heads.first.map { $0 > 0 ? dim / $0 : 0 } ?? 0) : try integer("head_size")
        let blocks = (0..<layers).map { LlamaBlockShape(hiddenDim: hidden[$0], nHeads: heads[$0], nKVHeads: kvHeads[$0]) }
        self.init(dim: dim, headSize: headSize, blocks: blocks, vocabSize: try integer("vocab_size"),
                  seqLen: try integer("seq_len"), tiedEmbeddings: true)
        if let eps = try number("norm_eps") { normEps = Float(eps) }
        if let theta = try number("rope_theta") { ropeTheta = Float(theta) }
        if let style = fields["rope_style"] {
            guard case .text(let text) = style, let parsed = RopeStyle(rawValue: text) else {
                throw ModelError("`rope_style` must be \"interleaved\" or \"half\", got \(style)")
            }
            ropeStyle = parsed
        }
        if let tied = fields["tied_embeddings"] {
            guard case .flag(let flag) = tied else { throw ModelError("`tied_embeddings` must be true or false") }
            tiedEmbeddings = flag
        }
        try validate()
    }
}
