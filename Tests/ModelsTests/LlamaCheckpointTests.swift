import Foundation
import Testing
import TensorModule
@testable import Models

/// A little-endian llama2.c checkpoint built in memory: header then floats 0, 1, 2, ….
private func syntheticCheckpoint(_ header: [Int32], floats: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    for value in header { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    for i in 0..<floats { withUnsafeBytes(of: Float(i).bitPattern.littleEndian) { bytes += $0 } }
    return bytes
}

/// Replaces header field `index` (0…6) of `bytes` by `value`.
private func patched(_ bytes: [UInt8], field index: Int, to value: Int32) -> [UInt8] {
    var out = bytes
    withUnsafeBytes(of: value.littleEndian) { raw in
        for k in 0..<4 { out[4 * index + k] = raw[k] }
    }
    return out
}

/// The message of the `ModelError` thrown by `body`, or nil.
private func errorMessage(_ body: () throws(ModelError) -> LlamaWeights) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return error.message
    }
}

private func values(_ tensor: Tensor) -> [Float] {
    if case .f32(let v) = tensor.data { return v }
    return []
}

/// Floats of a tiny checkpoint: dim 4, hidden 6, 2 layers, 2 heads, 1 kv head, vocab 3, seq 2.
/// emb 12 + layers 2 × (4 + 16 + 8 + 8 + 16 + 4 + 24 + 24 + 24) = 256 + final 4 + rope 2 × 2 × 1.
private let tinyHeader: [Int32] = [4, 6, 2, 2, 1, 3, 2]
private let tinyTiedFloats = 12 + 256 + 4 + 4

@Suite struct LlamaCheckpointTests {
    @Test func tiedSyntheticCheckpointLaysOutArraysInOrder() throws {
        let bytes = syntheticCheckpoint(tinyHeader, floats: tinyTiedFloats)
        let w = try LlamaCheckpoint.load(bytes, name: "tiny.bin")
        #expect(w.config == LlamaConfig(dim: 4, hiddenDim: 6, nLayers: 2, nHeads: 2, nKVHeads: 1, vocabSize: 3,
                                        seqLen: 2, tiedEmbeddings: true))
        #expect(w.classifier == nil)
        #expect(w.tokenEmbedding.shape == [3, 4])
        #expect(values(w.tokenEmbedding) == (0..<12).map(Float.init))
        // rms_att of layer 1 follows layer 0's at 12 + 4.
        #expect(values(w.layers[1].rmsAtt) == [16, 17, 18, 19])
        // wq starts at 12 + 2 × 4 = 20; layer 1 at 36.
        #expect(w.layers[1].wq.shape == [4, 4])
        #expect(values(w.layers[1].wq).first == 36)
        #expect(w.layers[0].wk.shape == [2, 4])
        #expect(values(w.layers[0].wk).first == 52)
        #expect(w.layers[0].w2.shape == [4, 6])
        #expect(values(w.rmsFinal) == [268, 269, 270, 271])
    }

    @Test func negativeVocabReadsClassifierAfterRopeTables() throws {
        var header = tinyHeader
        header[5] = -3
        let bytes = syntheticCheckpoint(header, floats: tinyTiedFloats + 12)
        let w = try LlamaCheckpoint.load(bytes, name: "tiny.bin")
        #expect(w.config.vocabSize == 3)
        #expect(w.config.tiedEmbeddings == false)
        let classifier = try #require(w.classifier)
        #expect(classifier.shape == [3, 4])
        #expect(values(classifier) == (276..<288).map(Float.init))
    }

    @Test func truncatedSyntheticCheckpointNamesFileOffsetAndSizes() {
        let bytes = Array(syntheticCheckpoint(tinyHeader, floats: tinyTiedFloats).dropLast(3))
        #expect(errorMessage { () throws(ModelError) in try LlamaCheckpoint.load(bytes, name: "tiny.bin") }
            == "tiny.bin: truncated at byte 1129: header says 276 floats (1,132 bytes), file has 1,129 bytes")
    }

    @Test func shortHeaderIsTruncation() {
        let message = errorMessage { () throws(ModelError) in try LlamaCheckpoint.load([1, 0, 0, 0, 2], name: "x.bin") }
        #expect(message == "x.bin: truncated at byte 4: header field hidden_dim needs 4 bytes, file has 5 bytes")
    }

    @Test func trailingDataIsRejected() {
        let bytes = syntheticCheckpoint(tinyHeader, floats: tinyTiedFloats + 1)
        let message = errorMessage { () throws(ModelError) in try LlamaCheckpoint.load(bytes, name: "tiny.bin") }
        #expect(message == "tiny.bin: unexpected trailing data at byte 1132: header says 276 floats (1,132 bytes), file has 1,136 bytes")
    }

    static let badHeaders: [(Int, Int32, String)] = [
        (0, Int32(0), "tiny.bin: bad header at byte 0: dim must be positive, got 0"),
        (2, Int32(-1), "tiny.bin: bad header at byte 8: n_layers must be positive, got -1"),
        (5, Int32(0), "tiny.bin: bad header at byte 20: vocab_size must be non-zero, got 0"),
        (3, Int32(3), "tiny.bin: bad header at byte 12: dim 4 must be a multiple of n_heads, got n_heads 3"),
        (4, Int32(3), "tiny.bin: bad header at byte 16: n_heads 2 must be a multiple of n_kv_heads, got n_kv_heads 3"),
        (3, Int32(4), "tiny.bin: bad header at byte 12: head size dim / n_heads must be even for rope, got 1"),
    ]

    @Test(arguments: badHeaders)
    func badHeaderValuesAreRejected(field: Int, value: Int32, expected: String) {
        let bytes = patched(syntheticCheckpoint(tinyHeader, floats: tinyTiedFloats), field: field, to: value)
        #expect(errorMessage { () throws(ModelError) in try LlamaCheckpoint.load(bytes, name: "tiny.bin") } == expected)
    }

    @Test func absurdHeaderFailsWithoutAllocating() {
        let header: [Int32] = [2_147_483_644, 2_147_483_647, 2_147_483_647, 2, 1, -2_147_483_648, 2_147_483_647]
        let bytes = syntheticCheckpoint(header, floats: 4)
        let message = errorMessage { () throws(ModelError) in try LlamaCheckpoint.load(bytes, name: "huge.bin") }
        #expect(message?.hasPrefix("huge.bin: bad header at byte 8: n_layers 2,147,483,647 is more than a") == true)
        let wide = syntheticCheckpoint([2_147_483_644, 2_147_483_647, 1, 2, 1, -2_147_483_648, 2_147_483_647], floats: 4)
        let wideMessage = errorMessage { () throws(ModelError) in try LlamaCheckpoint.load(wide, name: "wide.bin") }
        #expect(wideMessage?.hasPrefix("wide.bin: bad header at byte 0: sizes are absurd") == true)
        // Large but representable: the file-length check catches it before any allocation.
        let big = syntheticCheckpoint([4096, 11008, 2, 32, 32, 32000, 2048], floats: 4)
        let bigMessage = errorMessage { () throws(ModelError) in try LlamaCheckpoint.load(big, name: "big.bin") }
        #expect(bigMessage?.hasPrefix("big.bin: truncated at byte 44: header says ") == true)
    }

    // MARK: - stories260K.bin

    @Test(.enabled(if: TestData.available, TestData.skipReason))
    func stories260KConfigIsTheDocumentedOne() throws {
        guard let bytes = TestData.bytes("stories260K.bin") else { return }
        let w = try LlamaCheckpoint.load(bytes, name: "stories260K.bin")
        #expect(w.config == LlamaConfig(dim: 64, hiddenDim: 172, nLayers: 5, nHeads: 8, nKVHeads: 4, vocabSize: 512,
                                        seqLen: 512, tiedEmbeddings: true))
        #expect(w.config.headSize == 8)
        #expect(w.config.kvDim == 32)
        #expect(w.layers.count == 5)
        #expect(w.classifier == nil)
        #expect(w.layers[4].w2.shape == [64, 172])
        #expect(w.layers[4].wk.shape == [32, 64])
    }

    @Test(.enabled(if: TestData.available, TestData.skipReason))
    func stories260KWeightsMatchRawFileFloats() throws {
        guard let bytes = TestData.bytes("stories260K.bin") else { return }
        let w = try LlamaCheckpoint.load(bytes, name: "stories260K.bin")
        func rawFloat(_ index: Int) -> Float {
            let at = 28 + 4 * index
            var bits: UInt32 = 0
            for k in 0..<4 {
                let byte = UInt32(bytes[at + k])
                bits |= byte << UInt32(8 * k)
            }
            return Float(bitPattern: bits)
        }
        #expect(Array(values(w.tokenEmbedding)[0..<4]) == (0..<4).map(rawFloat))
        // rms_att of layer 0 starts right after the 512 × 64 embedding.
        #expect(Array(values(w.layers[0].rmsAtt)[0..<4]) == (32768..<32772).map(rawFloat))
        // rms_final sits just before the two 512 × 4 rope tables at the end.
        #expect(values(w.rmsFinal) == (259968..<260032).map(rawFloat))
        // wq of layer 2: after emb (32768) + rms_att (320) + 2 layers of 4096.
        #expect(values(w.layers[2].wq)[5] == rawFloat(33088 + 2 * 4096 + 5))
    }

    @Test(.enabled(if: TestData.available, TestData.skipReason))
    func truncatedStories260KReportsOffsetAndExpectedSize() {
        guard let bytes = TestData.bytes("stories260K.bin") else { return }
        let message = errorMessage { () throws(ModelError) in
            try LlamaCheckpoint.load(Array(bytes[0..<1000]), name: "stories260K.bin")
        }
        #expect(message == "stories260K.bin: truncated at byte 1000: header says 264,128 floats (1,056,540 bytes), file has 1,000 bytes")
    }

    @Test(.enabled(if: TestData.available, TestData.skipReason))
    func lyingStories260KHeaderIsRejected() {
        guard let bytes = TestData.bytes("stories260K.bin") else { return }
        // seq_len 4096 instead of 512: the rope tables would need 28,672 more floats.
        let longer = patched(bytes, field: 6, to: 4096)
        #expect(errorMessage { () throws(ModelError) in try LlamaCheckpoint.load(longer, name: "stories260K.bin") }
            == "stories260K.bin: truncated at byte 1056540: header says 292,800 floats (1,171,228 bytes), file has 1,056,540 bytes")
        // A negative vocab claims a classifier that is not there.
        let untied = patched(bytes, field: 5, to: -512)
        #expect(errorMessage { () throws(ModelError) in try LlamaCheckpoint.load(untied, name: "stories260K.bin") }
            == "stories260K.bin: truncated at byte 1056540: header says 296,896 floats (1,187,612 bytes), file has 1,056,540 bytes")
        // Fewer layers than stored leaves trailing bytes.
        let fewer = patched(bytes, field: 2, to: 4)
        #expect(errorMessage { () throws(ModelError) in try LlamaCheckpoint.load(fewer, name: "stories260K.bin") }?
            .hasPrefix("stories260K.bin: unexpected trailing data at byte ") == true)
    }
}
