import Models
import PrunebookLanguage

extension Arguments {
    /// Argument `name`, a record with the keys `model.config` shows, as a model config
    /// (`LlamaConfig(parsing:)`'s defaults for missing keys; `vocabSize`, when given, for a
    /// missing `vocab_size`). An unknown key is an error naming the closest known one.
    func modelConfig(_ name: String, vocabSize: Int?) throws -> LlamaConfig {
        var fields = try record(name).fields
        for key in fields.keys where !LlamaConfig.keys.contains(key) {
            let hint = closestName(to: key, among: LlamaConfig.keys).map { " (did you mean `\($0)`?)" } ?? ""
            throw error(name, "the config has no key `\(key)`\(hint)", kind: .name)
        }
        if fields["vocab_size"] == nil, let vocabSize { fields["vocab_size"] = .number(Double(vocabSize)) }
        do {
            return try LlamaConfig(parsing: Dictionary(uniqueKeysWithValues: fields.map { ($0.key, Self.rawValue($0.value)) }))
        } catch {
            throw self.error(name, "bad config: \(error.message)", kind: .value)
        }
    }

    /// A language value as a config value.
    private static func rawValue(_ value: Value) -> LlamaConfig.RawValue {
        switch value {
        case .number(let n): return .number(n)
        case .string(let s): return .text(s)
        case .bool(let b): return .flag(b)
        case .list(let items): return .list(items.map(rawValue))
        default: return .other(value.typeName)
        }
    }
}
