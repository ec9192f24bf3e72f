import TensorModule

/// Reads llama2.c legacy ("version 0") checkpoints: a header of 7 little-endian int32
/// (`dim, hidden_dim, n_layers, n_heads, n_kv_heads, vocab_size, seq_len`), then float32
/// arrays `token_embedding, rms_att, wq, wk, wv, wo, rms_ffn, w1, w2, w3, rms_final,
/// freq_cis_real, freq_cis_imag` and, when `vocab_size` is negative, a separate classifier.
///
/// Every size in the header is checked against the file length before anything is
/// allocated, so a truncated file or a lying header is a `ModelError`, never a crash or a
/// huge allocation.
public enum LlamaCheckpoint {
    /// Bytes in the header.
    static let headerBytes = 28

    /// The weights of the checkpoint `bytes`; `name` is the file name used in errors.
    public static func load(_ bytes: [UInt8], name: String) throws(ModelError) -> LlamaWeights {
        var reader = ByteReader(bytes, name: name)
        var header: [Int] = []
        for field in headerFields {
            header.append(Int(try reader.int32("header field \(field)")))
        }
        let config = try validate(header, fileSize: bytes.count, name: name)
        let layout = try Layout(config, name: name)
        let expected = headerBytes + 4 * layout.totalFloats
        let floatsText = "header says \(layout.totalFloats.grouped) floats (\(expected.grouped) bytes)"
        if bytes.count < expected {
            throw ModelError.at(name, "truncated", byte: bytes.count,
                                "\(floatsText), file has \(bytes.count.grouped) bytes")
        }
        if bytes.count > expected {
            throw ModelError.at(name, "unexpected trailing data", byte: expected,
                                "\(floatsText), file has \(bytes.count.grouped) bytes")
        }
        return read(&reader, config: config)
    }

    /// Header field names in file order, as llama2.c spells them.
    static let headerFields = ["dim", "hidden_dim", "n_layers", "n_heads", "n_kv_heads", "vocab_size", "seq_len"]

    /// Checks the header's values on their own and builds the config.
    private static func validate(_ h: [Int], fileSize: Int, name: String) throws(ModelError) -> LlamaConfig {
        for (index, field) in headerFields.enumerated() where field != "vocab_size" {
            guard h[index] > 0 else {
                throw ModelError.at(name, "bad header", byte: 4 * index, "\(field) must be positive, got \(h[index])")
            }
        }
        let (dim, hidden, layers, heads, kvHeads, vocab, seq) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6])
        // Every layer holds at least its two norm vectors: bound n_layers by the file size
        // before the config allocates per-layer shapes.
        guard layers <= fileSize / 8 else {
            throw ModelError.at(name, "bad header", byte: 8,
                                "n_layers \(layers.grouped) is more than a \(fileSize.grouped)-byte file can hold")
        }
        guard vocab != 0 else {
            throw ModelError.at(name, "bad header", byte: 20, "vocab_size must be non-zero, got 0")
        }
        guard dim % heads == 0 else {
            throw ModelError.at(name, "bad header", byte: 12,
                                "dim \(dim) must be a multiple of n_heads, got n_heads \(heads)")
        }
        guard heads % kvHeads == 0 else {
            throw ModelError.at(name, "bad header", byte: 16,
                                "n_heads \(heads) must be a multiple of n_kv_heads, got n_kv_heads \(kvHeads)")
        }
        guard (dim / heads) % 2 == 0 else {
            throw ModelError.at(name, "bad header", byte: 12,
                                "head size dim / n_heads must be even for rope, got \(dim / heads)")
        }
        return LlamaConfig(dim: dim, hiddenDim: hidden, nLayers: layers, nHeads: heads, nKVHeads: kvHeads,
                           vocabSize: abs(vocab),
                           seqLen: seq, tiedEmbeddings: vocab > 0)
    }

    /// Float counts of every array, computed with overflow checks.
    private struct Layout {
        var embedding = 0, layerNorm = 0, wq = 0, wkv = 0, w13 = 0, rope = 0, classifier = 0
        var totalFloats = 0

        init(_ c: LlamaConfig, name: String) throws(ModelError) {
            func product(_ factors: Int...) throws(ModelError) -> Int {
                var result = 1
                for f in factors {
                    let (value, overflow) = result.multipliedReportingOverflow(by: f)
                    guard !overflow, value <= Int(Int32.max) * 16 else {
                        throw ModelError.at(name, "bad header", byte: 0,
                                            "sizes are absurd: an array would hold more than \((Int(Int32.max) * 16).grouped) floats")
                    }
                    result = value
                }
                return result
            }
            embedding = try product(c.vocabSize, c.dim)
            layerNorm = c.dim
            wq = try product(c.dim, c.dim)
            wkv = try product(c.kvDim, c.dim)
            w13 = try product(c.hiddenDim, c.dim)
            rope = try product(c.seqLen, c.headSize / 2)
            classifier = c.tiedEmbeddings ? 0 : embedding
            let perLayer = [layerNorm, wq, wkv, wkv, wq, layerNorm, w13, w13, w13]
            var total = embedding + c.dim + 2 * rope + classifier
            for count in perLayer { total += try product(c.nLayers, count) }
            totalFloats = total
        }
    }

    /// Reads the arrays; the length has been checked.
    private static func read(_ reader: inout ByteReader, config c: LlamaConfig) -> LlamaWeights {
        func stacked(_ rows: Int, _ cols: Int?) -> [Tensor] {
            let per = rows * (cols ?? 1)
            let all = reader.floats(c.nLayers * per)
            let shape = cols.map { [rows, $0] } ?? [rows]
            return (0..<c.nLayers).map { l in Tensor(shape: shape, f32: Array(all[(l * per)..<((l + 1) * per)])) }
        }
        let embedding = Tensor(shape: [c.vocabSize, c.dim], f32: reader.floats(c.vocabSize * c.dim))
        let rmsAtt = stacked(c.dim, nil)
        let wq = stacked(c.dim, c.dim)
        let wk = stacked(c.kvDim, c.dim)
        let wv = stacked(c.kvDim, c.dim)
        let wo = stacked(c.dim, c.dim)
        let rmsFFN = stacked(c.dim, nil)
        let w1 = stacked(c.hiddenDim, c.dim)
        let w2 = stacked(c.dim, c.hiddenDim)
        let w3 = stacked(c.hiddenDim, c.dim)
        let rmsFinal = Tensor(shape: [c.dim], f32: reader.floats(c.dim))
        reader.skip(2 * 4 * c.seqLen * (c.headSize / 2))
        let classifier = c.tiedEmbeddings
            ? nil : Tensor(shape: [c.vocabSize, c.dim], f32: reader.floats(c.vocabSize * c.dim))
        let layers = (0..<c.nLayers).map { l in
            LlamaLayer(rmsAtt: rmsAtt[l], wq: wq[l], wk: wk[l], wv: wv[l], wo: wo[l], rmsFFN: rmsFFN[l],
                       w1: w1[l], w2: w2[l], w3: w3[l])
        }
        return LlamaWeights(config: c, tokenEmbedding: embedding, layers: layers, rmsFinal: rmsFinal,
                            classifier: classifier)
    }
}

extension LlamaCheckpoint {
    /// The checkpoint's arrays as the data README names them, per-layer ones stacked into
    /// `[n_layers, …]` (`rms_att`, `wq`, … `w3`), the classifier as `wcls` when untied; the
    /// legacy RoPE tables are not kept. Only for uniform models (every checkpoint is).
    public static func arrays(_ w: LlamaWeights) throws(ModelError) -> [(name: String, tensor: Tensor)] {
        func stack(_ path: KeyPath<LlamaLayer, Tensor>) throws(ModelError) -> Tensor {
            do {
                return try Tensor.stack(w.layers.map { $0[keyPath: path] }, axis: 0)
            } catch {
                throw ModelError("layers differ in shape and cannot be stacked: \(error)", kind: .shape)
            }
        }
        var out: [(name: String, tensor: Tensor)] = [("token_embedding", w.tokenEmbedding)]
        for (name, path) in LlamaLayer.tensors { out.append((name, try stack(path))) }
        out.append(("rms_final", w.rmsFinal))
        if let classifier = w.classifier { out.append(("wcls", classifier)) }
        return out
    }
}
