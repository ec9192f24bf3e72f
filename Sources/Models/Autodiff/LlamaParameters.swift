import TensorModule

/// The variables standing for a LLaMA model's tensors on a tape, by the names model files
/// use (`token_embedding`, `rms_final`, `wcls` when untied, `layers.{i}.{rms_att, wq, wk, wv,
/// wo, rms_ffn, w1, w2, w3}`). Any variable may stand for a weight: a parameter leaf, a
/// frozen constant, or a computed value such as MaskLLM's `W ⊙ mask`.
public struct LlamaParameters: Sendable {
    /// The tape the variables live on.
    public let tape: Tape
    /// The model's shape.
    public let config: LlamaConfig
    /// One variable per tensor name; replace entries to feed computed weights.
    public var variables: [String: Variable]

    /// Parameters from explicit variables (checked against `config` when the graph runs).
    public init(tape: Tape, config: LlamaConfig, variables: [String: Variable]) {
        self.tape = tape
        self.config = config
        self.variables = variables
    }

    /// Leaves on `tape` holding every tensor of `weights`; a tensor gets a gradient when
    /// `trainable(name)` is true (all by default).
    public init(leavesOf weights: LlamaWeights, on tape: Tape, trainable: (String) -> Bool = { _ in true }) {
        var variables: [String: Variable] = [:]
        for (name, tensor) in LlamaModelFile.tensors(weights) {
            variables[name] = tape.leaf(tensor, requiresGradient: trainable(name))
        }
        self.init(tape: tape, config: weights.config, variables: variables)
    }

    /// The variable named `name`.
    public subscript(name: String) -> Variable? {
        get { variables[name] }
        set { variables[name] = newValue }
    }

    /// Every tensor name of `config` in model-file order, with the shape it must have.
    public static func expectedShapes(_ c: LlamaConfig) -> [(name: String, shape: [Int])] {
        let d = c.dim, v = c.vocabSize
        var out: [(name: String, shape: [Int])] = [("token_embedding", [v, d]), ("rms_final", [d])]
        if !c.tiedEmbeddings { out.append(("wcls", [v, d])) }
        for (i, b) in c.blocks.enumerated() {
            let q = b.nHeads * c.headSize, kv = b.nKVHeads * c.headSize, h = b.hiddenDim
            let shapes: [String: [Int]] = ["rms_att": [d], "wq": [q, d], "wk": [kv, d], "wv": [kv, d], "wo": [d, q],
                                           "rms_ffn": [d], "w1": [h, d], "w2": [d, h], "w3": [h, d]]
            for (name, _) in LlamaLayer.tensors { out.append(("layers.\(i).\(name)", shapes[name] ?? [])) }
        }
        return out
    }

    /// The variable named `name`, checked to exist with `shape`.
    func checked(_ name: String, _ shape: [Int]) throws(ModelError) -> Variable {
        guard let v = variables[name] else { throw ModelError("parameters: missing tensor `\(name)`", kind: .shape) }
        guard tape.shape(v) == shape else {
            throw ModelError("parameters: `\(name)` expected shape \(shape), got \(tape.shape(v))", kind: .shape)
        }
        return v
    }

    /// The gradient of `loss` with respect to every tensor, as a model (zeros for tensors
    /// whose variable needs no gradient, such as frozen weights).
    public func gradients(of loss: Variable) throws(ModelError) -> LlamaWeights {
        let byName = try gradientsByName(of: loss)
        func g(_ name: String) -> Tensor { byName[name] ?? Tensor.zeros([]) }
        let layers = (0..<config.nLayers).map { i in
            LlamaLayer(rmsAtt: g("layers.\(i).rms_att"), wq: g("layers.\(i).wq"), wk: g("layers.\(i).wk"),
                                   wv: g("layers.\(i).wv"), wo: g("layers.\(i).wo"), rmsFFN: g("layers.\(i).rms_ffn"),
                                   w1: g("layers.\(i).w1"), w2: g("layers.\(i).w2"), w3: g("layers.\(i).w3"))
        }
        return LlamaWeights(config: config, tokenEmbedding: g("token_embedding"), layers: layers,
                            rmsFinal: g("rms_final"), classifier: config.tiedEmbeddings ? nil : g("wcls"))
    }

    /// The gradient of `loss` with respect to every tensor of the config, by name (zeros for
    /// tensors whose variable needs no gradient).
    public func gradientsByName(of loss: Variable) throws(ModelError) -> [String: Tensor] {
        let expected = LlamaParameters.expectedShapes(config)
        var wanted: [(String, Variable)] = []
        var out: [String: Tensor] = [:]
        for (name, shape) in expected {
            let v = try checked(name, shape)
            if tape.requiresGradient(v) { wanted.append((name, v)) } else { out[name] = Tensor.zeros(shape) }
        }
        let grads = try tape.gradients(of: loss, withRespectTo: wanted.map(\.1))
        for ((name, _), g) in zip(wanted, grads) { out[name] = g }
        return out
    }
}
