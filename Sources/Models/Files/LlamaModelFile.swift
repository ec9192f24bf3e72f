import Foundation
import TensorModule

/// A LLaMA-family model as one safetensors file (builtins.md `save_model`): tensors
/// `token_embedding`, `rms_final`, `wcls` (untied only) and `layers.{i}.{rms_att, rms_ffn, wq,
/// wk, wv, wo, w1, w2, w3}`; the config as JSON under the metadata key `config`; and, when
/// the model has one, its tokenizer as base64 of the llama2.c tokenizer file under
/// `tokenizer`, so one file runs on its own.
public enum LlamaModelFile {
    /// The named tensors of `weights` in file order.
    public static func tensors(_ weights: LlamaWeights) -> [(name: String, tensor: Tensor)] {
        var out: [(name: String, tensor: Tensor)] = [("token_embedding", weights.tokenEmbedding), ("rms_final", weights.rmsFinal)]
        if let classifier = weights.classifier { out.append(("wcls", classifier)) }
        for (i, layer) in weights.layers.enumerated() {
            for (name, path) in LlamaLayer.tensors { out.append(("layers.\(i).\(name)", layer[keyPath: path])) }
        }
        return out
    }

    /// `weights` with its tensors replaced, in `tensors(_:)` order, by `replacements` (same
    /// count; shapes are the caller's responsibility).
    public static func replacingTensors(of weights: LlamaWeights, with replacements: [Tensor]) -> LlamaWeights {
        var w = weights
        var next = replacements.makeIterator()
        func take() -> Tensor {
            guard let t = next.next() else { preconditionFailure("replacingTensors: too few tensors") }
            return t
        }
        w.tokenEmbedding = take()
        w.rmsFinal = take()
        if w.classifier != nil { w.classifier = take() }
        for i in w.layers.indices {
            for (_, path) in LlamaLayer.tensors { w.layers[i][keyPath: path] = take() }
        }
        precondition(next.next() == nil, "replacingTensors: too many tensors")
        return w
    }

    /// The safetensors bytes of a model (and its tokenizer, if any).
    public static func encode(_ weights: LlamaWeights, tokenizer: Tokenizer?) -> [UInt8] {
        var metadata = ["config": configJSON(weights.config), "format": "prunebook-llama"]
        if let tokenizer { metadata["tokenizer"] = Data(tokenizer.fileBytes()).base64EncodedString() }
        return Safetensors.encode(Safetensors.File(tensors: tensors(weights), metadata: metadata))
    }

    /// The model in a parsed safetensors file. The config comes from the metadata key
    /// `config`, else from `configJSON` (a `config.json` beside the file); `name` is the file
    /// name used in errors.
    public static func decode(_ file: Safetensors.File, configJSON: String?, name: String) throws(ModelError)
        -> (weights: LlamaWeights, tokenizer: Tokenizer?) {
        guard let text = file.metadata["config"] ?? configJSON else {
            throw ModelError("\(name): no model config: the safetensors metadata has no `config` and there is no config.json beside it", kind: .io)
        }
        let config = try parseConfig(text, name: name)
        var byName: [String: Tensor] = [:]
        for (key, t) in file.tensors { byName[key] = t }
        func tensor(_ key: String) throws(ModelError) -> Tensor {
            guard let t = byName[key] else { throw ModelError("\(name): missing tensor `\(key)`", kind: .io) }
            guard t.dtype == .f32 else { throw ModelError("\(name): tensor `\(key)` must be floating point, got \(t.dtype.rawValue)", kind: .io) }
            return t
        }
        var layers: [LlamaLayer] = []
        for i in 0..<config.nLayers {
            let p = "layers.\(i)."
            layers.append(LlamaLayer(rmsAtt: try tensor(p + "rms_att"), wq: try tensor(p + "wq"), wk: try tensor(p + "wk"),
                                     wv: try tensor(p + "wv"), wo: try tensor(p + "wo"), rmsFFN: try tensor(p + "rms_ffn"),
                                     w1: try tensor(p + "w1"), w2: try tensor(p + "w2"), w3: try tensor(p + "w3")))
        }
        let weights = LlamaWeights(config: config, tokenEmbedding: try tensor("token_embedding"), layers: layers,
                                   rmsFinal: try tensor("rms_final"),
                                   classifier: config.tiedEmbeddings ? nil : try tensor("wcls"))
        do {
            _ = try LlamaFlatWeights(weights)
        } catch {
            throw ModelError("\(name): \(error.message)", kind: .io)
        }
        var tokenizer: Tokenizer?
        if let encoded = file.metadata["tokenizer"] {
            guard let bytes = Data(base64Encoded: encoded) else {
                throw ModelError("\(name): the `tokenizer` metadata is not base64", kind: .io)
            }
            tokenizer = try Tokenizer.load([UInt8](bytes), name: "\(name) (tokenizer)", vocabSize: config.vocabSize)
        }
        return (weights, tokenizer)
    }

    /// The config as the JSON object of builtins.md: per-block widths as one number when
    /// every block agrees, else a list with one entry per block.
    public static func configJSON(_ c: LlamaConfig) -> String {
        func json(_ value: LlamaConfig.FieldValue) -> String {
            switch value {
            case .integer(let n): return String(n)
            case .integers(let ns): return "[" + ns.map(String.init).joined(separator: ", ") + "]"
            case .real(let x): return "\(x)"
            case .text(let t): return jsonString(t)
            case .flag(let b): return b ? "true" : "false"
            }
        }
        return "{" + c.fields.map { "\(jsonString($0.key)): \(json($0.value))" }.joined(separator: ", ") + "}"
    }

    /// Parses a config JSON object with `LlamaConfig(parsing:)` (missing optional keys take
    /// llama2.c's values); errors name the file.
    public static func parseConfig(_ text: String, name: String) throws(ModelError) -> LlamaConfig {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)), let json = object as? [String: Any] else {
            throw ModelError("\(name): bad model config: not a JSON object", kind: .io)
        }
        do {
            return try LlamaConfig(parsing: json.mapValues(rawValue))
        } catch {
            throw ModelError("\(name): bad model config: \(error.message)", kind: .io)
        }
    }

    /// A JSON value as a config value; JSON booleans (NSNumbers of type `c`) are flags.
    private static func rawValue(_ value: Any) -> LlamaConfig.RawValue {
        if let n = value as? NSNumber {
            return value is Bool && String(cString: n.objCType) == "c" ? .flag(n.boolValue) : .number(n.doubleValue)
        }
        if let text = value as? String { return .text(text) }
        if let list = value as? [Any] { return .list(list.map(rawValue)) }
        return .other(value is NSNull ? "null" : "an object")
    }
}
