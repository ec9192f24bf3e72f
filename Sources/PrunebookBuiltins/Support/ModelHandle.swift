import Models
import OrderedCollections
import PrunebookLanguage
import TensorModule

/// A LLaMA-family model as a language value (copy-on-write like every value): its weights,
/// its tokenizer when it has one, and the masks pruning applied. Fields: `config` (record),
/// `layers` (list of records of the block tensors), `token_embedding`, `rms_final`, `wcls`
/// (untied models only), `masks` (record), `tokenizer`. `model.layers[0].wq = w` replaces a
/// weight with one of the same shape.
struct ModelHandle: HandleValue {
    var weights: LlamaWeights
    var tokenizer: Tokenizer?
    var masks: Record

    var typeName: String { "model" }

    /// Parameters: every weight and norm (the classifier only when untied).
    var parameterCount: Int {
        LlamaModelFile.tensors(weights).reduce(0) { $0 + $1.tensor.count }
    }

    /// The bytes of the weights as the forward reads them: f32 tensors, and compressed
    /// linears at their compressed size (`nbytes(model)`).
    var byteCount: Int? {
        LlamaModelFile.tensors(weights).reduce(0) { total, entry in
            total + (weights.kernel(for: entry.name, holding: entry.tensor)?.nbytes ?? entry.tensor.count * 4)
        }
    }

    func display() -> String {
        let c = weights.config
        func widths(_ width: (LlamaBlockShape) -> Int) -> String {
            c.isUniform ? String(width(c.blocks[0])) : c.blocks.map { String(width($0)) }.joined(separator: "/")
        }
        let hidden = widths(\.hiddenDim), heads = widths(\.nHeads), kv = widths(\.nKVHeads)
        var text = "model(llama: dim \(c.dim), \(c.nLayers) layers, heads \(heads) (kv \(kv)), hidden \(hidden), "
            + "vocab \(c.vocabSize), seq_len \(c.seqLen), \(parameterCount.grouped) parameters"
        if c.tiedEmbeddings { text += ", tied embeddings" }
        if !masks.fields.isEmpty { text += ", \(masks.fields.count) masks" }
        let compressed = weights.compressedNames.count
        if compressed > 0 { text += ", \(compressed) compressed linears" }
        return text + ")"
    }

    var fieldNames: [String] {
        ["config", "layers", "masks", "rms_final", "token_embedding", "tokenizer"] + (weights.classifier == nil ? [] : ["wcls"])
    }

    func field(_ name: String) -> Value? {
        switch name {
        case "config": return .record(Self.configRecord(weights.config))
        case "layers": return .list(weights.layers.map { .record(Self.layerRecord($0)) })
        case "masks": return .record(masks)
        case "token_embedding": return .tensor(weights.tokenEmbedding)
        case "rms_final": return .tensor(weights.rmsFinal)
        case "wcls": return weights.classifier.map { .tensor($0) }
        case "tokenizer": return tokenizer.map { .handle(TokenizerHandle(tokenizer: $0)) } ?? .nilValue
        default: return nil
        }
    }

    func settingField(_ name: String, to value: Value) throws -> any HandleValue {
        var copy = self
        switch name {
        case "layers":
            guard case .list(let items) = value, items.count == weights.layers.count else {
                throw PrunebookError(.type, "model.layers must stay a list of \(weights.layers.count) layer records")
            }
            for (i, item) in items.enumerated() {
                guard case .record(let r) = item else {
                    throw PrunebookError(.type, "model.layers[\(i)] must be a record, got \(item.typeName)")
                }
                copy.weights.layers[i] = try Self.layer(from: r, replacing: weights.layers[i], index: i)
            }
        case "masks":
            guard case .record(let r) = value else { throw PrunebookError(.type, "model.masks must be a record, got \(value.typeName)") }
            copy.masks = r
        case "token_embedding":
            copy.weights.tokenEmbedding = try Self.sameShape(value, weights.tokenEmbedding, "token_embedding")
        case "rms_final":
            copy.weights.rmsFinal = try Self.sameShape(value, weights.rmsFinal, "rms_final")
        case "wcls" where weights.classifier != nil:
            copy.weights.classifier = try Self.sameShape(value, weights.outputMatrix, "wcls")
        default:
            throw PrunebookError(.type, "cannot set field `\(name)` of a model (settable: layers, masks, token_embedding, rms_final\(weights.classifier == nil ? "" : ", wcls"))")
        }
        return copy
    }

    /// The tokenizer, or an error saying how to attach one.
    func requireTokenizer(_ builtin: String) throws -> Tokenizer {
        guard let tokenizer else {
            throw PrunebookError(.value, "`\(builtin)`: the model has no tokenizer; load it with `load_model(path, tokenizer: \"tok512.bin\")`")
        }
        return tokenizer
    }

    /// Block tensor names in record order.
    static let layerKeys = LlamaLayer.tensors.map(\.name)

    static func layerRecord(_ layer: LlamaLayer) -> Record {
        Record(LlamaLayer.tensors.map { ($0.name, Value.tensor(layer[keyPath: $0.path])) })
    }

    /// `old` with the tensors of record `r` (same keys, same shapes).
    private static func layer(from r: Record, replacing old: LlamaLayer, index: Int) throws -> LlamaLayer {
        var layer = old
        for key in r.fields.keys where !layerKeys.contains(key) {
            let hint = closestName(to: key, among: layerKeys).map { " (did you mean `\($0)`?)" } ?? ""
            throw PrunebookError(.name, "model.layers[\(index)] has no weight `\(key)`\(hint)")
        }
        for (key, path) in LlamaLayer.tensors {
            guard let value = r.fields[key] else { throw PrunebookError(.name, "model.layers[\(index)].\(key) is missing") }
            layer[keyPath: path] = try sameShape(value, old[keyPath: path], "layers[\(index)].\(key)")
        }
        return layer
    }

    /// `value` as an f32 tensor shaped like `old`.
    private static func sameShape(_ value: Value, _ old: Tensor, _ name: String) throws -> Tensor {
        var t = try value.asTensor()
        if t.dtype != .f32 { t = t.astype(.f32) }
        guard t.shape == old.shape else {
            throw PrunebookError(.shape, "model.\(name): expected shape \(formatShape(old.shape)) (the model's), got \(formatShape(t.shape)); structural changes go through the pruning builtins")
        }
        return t
    }

    /// `model.config` as builtins.md spells it; per-block widths are lists when they differ.
    static func configRecord(_ c: LlamaConfig) -> Record {
        Record(c.fields.map { key, value in
            switch value {
            case .integer(let n): return (key, .number(Double(n)))
            case .integers(let ns): return (key, .list(ns.map { .number(Double($0)) }))
            // Through the f32's shortest text, so 1e-5 shows as 1e-05, not 9.99999974e-06.
            case .real(let x): return (key, .number(Double("\(x)") ?? Double(x)))
            case .text(let t): return (key, .string(t))
            case .flag(let b): return (key, .bool(b))
            }
        })
    }
}

/// A llama2.c tokenizer as a language value, for `tokenize`/`detokenize` without a model.
struct TokenizerHandle: HandleValue {
    let tokenizer: Tokenizer

    var typeName: String { "tokenizer" }

    func display() -> String { "tokenizer(\(tokenizer.vocabSize) pieces, llama2.c sentencepiece-bpe)" }

    var fieldNames: [String] { ["vocab_size"] }

    func field(_ name: String) -> Value? {
        name == "vocab_size" ? .number(Double(tokenizer.vocabSize)) : nil
    }
}

extension Arguments {
    /// Argument `name` as a model.
    func model(_ name: String) throws -> ModelHandle {
        guard case .handle(let h) = self[name], let model = h as? ModelHandle else {
            throw error(name, "`\(name)` expects a model (from `load_model`), got \(self[name].typeName)")
        }
        return model
    }

    /// Argument `name` as a tokenizer: a tokenizer value or a model's.
    func tokenizer(_ name: String, for builtin: String) throws -> Tokenizer {
        if case .handle(let h) = self[name] {
            if let t = h as? TokenizerHandle { return t.tokenizer }
            if let m = h as? ModelHandle { return try m.requireTokenizer(builtin) }
        }
        throw error(name, "`\(name)` expects a model or a tokenizer (from `load_model` or `load_tokenizer`), got \(self[name].typeName)")
    }

    /// Argument `name` as a 1-D list of token ids.
    func tokens(_ name: String) throws -> [Int32] {
        let t = try tensor(name)
        guard t.ndim == 1 else {
            throw error(name, "`\(name)` expects a 1-D tensor of token ids, got shape \(formatShape(t.shape))", kind: .shape)
        }
        switch t.data {
        case .i32(let ids): return ids
        case .f32(let values):
            guard values.allSatisfy({ $0 == $0.rounded() && abs($0) < 2e9 }) else {
                throw error(name, "`\(name)` expects integer token ids, got non-integer values", kind: .value)
            }
            return values.map { Int32($0) }
        case .bool: throw error(name, "`\(name)` expects token ids, got a bool tensor")
        }
    }
}
