import Foundation
import Testing
import TensorModule
@testable import Models

/// The data folder: `PRUNEBOOK_DATA`, else `<repo>/../shared/data`; nil when absent.
private let dataDirectory: URL? = {
    let fm = FileManager.default
    if let env = ProcessInfo.processInfo.environment["PRUNEBOOK_DATA"], !env.isEmpty {
        return fm.fileExists(atPath: env) ? URL(fileURLWithPath: env) : nil
    }
    let repo = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    let shared = repo.deletingLastPathComponent().appendingPathComponent("shared/data")
    return fm.fileExists(atPath: shared.appendingPathComponent("stories260K.bin").path) ? shared : nil
}()

private let needsData = "skipped: needs PRUNEBOOK_DATA (or ../shared/data) with stories260K.bin"

/// A small deterministic model: every weight uniform in [-scale, scale] from a seeded stream.
private func tinyModel(seed: UInt64 = 7) -> LlamaWeights {
    let config = LlamaConfig(dim: 8, hiddenDim: 12, nLayers: 2, nHeads: 2, nKVHeads: 1, vocabSize: 11,
                             seqLen: 16, tiedEmbeddings: false)
    var rng = RandomStream(seed: seed)
    func tensor(_ shape: [Int], scale: Float = 0.5, offset: Float = 0) -> Tensor {
        let n = shape.reduce(1, *)
        let values = (0..<n).map { _ in
            offset + scale * (Float(rng.next() >> 40) / Float(1 << 24) * 2 - 1)
        }
        return Tensor(shape: shape, f32: values)
    }
    let d = config.dim, kv = config.kvDim, h = config.hiddenDim
    let layers = (0..<config.nLayers).map { _ in
        LlamaLayer(rmsAtt: tensor([d], scale: 0.2, offset: 1), wq: tensor([d, d]), wk: tensor([kv, d]),
                   wv: tensor([kv, d]), wo: tensor([d, d]), rmsFFN: tensor([d], scale: 0.2, offset: 1),
                   w1: tensor([h, d]), w2: tensor([d, h]), w3: tensor([h, d]))
    }
    return LlamaWeights(config: config, tokenEmbedding: tensor([config.vocabSize, d], scale: 1), layers: layers,
                        rmsFinal: tensor([d], scale: 0.2, offset: 1),
                        classifier: tensor([config.vocabSize, d], scale: 1))
}

private func floats(_ t: Tensor) -> [Float] {
    guard case .f32(let values) = t.data else { return [] }
    return values
}

private func loadStories() throws -> LlamaWeights {
    let dir = try #require(dataDirectory)
    let bytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent("stories260K.bin")))
    return try LlamaCheckpoint.load(bytes, name: "stories260K.bin")
}

private func reference() throws -> [String: Any] {
    let dir = try #require(dataDirectory)
    let data = try Data(contentsOf: dir.appendingPathComponent("stories260K_reference.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

private func numbers(_ any: Any?) throws -> [Double] {
    let list = try #require(any as? [Any])
    return try list.map { try #require(($0 as? NSNumber)?.doubleValue) }
}

@Suite struct LlamaForwardTests {
    @Test func batchedLogitsMatchKVCacheStepsAtEveryPosition() throws {
        let weights = tinyModel()
        let tokens: [Int32] = [1, 5, 3, 10, 0, 7, 7, 2, 9, 4, 6, 8]
        let batched = try LlamaForward.logits(weights, tokens: tokens)
        #expect(batched.shape == [tokens.count, 11])
        let flat = floats(batched)
        var state = LlamaState(config: weights.config)
        var worst: Float = 0
        for (pos, token) in tokens.enumerated() {
            let stepped = LlamaForward.step(weights, state: &state, token: token, position: pos)
            for j in 0..<11 {
                let a = flat[pos * 11 + j], b = stepped[j]
                worst = max(worst, abs(a - b) / max(1, abs(b)))
            }
        }
        // Same kernels, different GEMM shapes: only float rounding may differ.
        #expect(worst <= 1e-4, "worst relative difference \(worst)")
    }

    @Test func logitsDependOnlyOnEarlierTokens() throws {
        let weights = tinyModel()
        let a = floats(try LlamaForward.logits(weights, tokens: [1, 5, 3, 10]))
        let b = floats(try LlamaForward.logits(weights, tokens: [1, 5, 3, 2]))
        #expect(Array(a[0..<33]) == Array(b[0..<33]))
        #expect(Array(a[33..<44]) != Array(b[33..<44]))
    }

    @Test func nllIsNegativeLogSoftmaxOfTargets() throws {
        let weights = tinyModel()
        let inputs: [Int32] = [1, 4, 9], targets: [Int32] = [4, 9, 0]
        let logits = floats(try LlamaForward.logits(weights, tokens: inputs))
        var expected = 0.0
        for (r, t) in targets.enumerated() {
            let row = logits[(r * 11)..<(r * 11 + 11)].map(Double.init)
            expected += log(row.map { exp($0) }.reduce(0, +)) - row[Int(t)]
        }
        let got = try LlamaForward.nll(weights, inputs: inputs, targets: targets)
        #expect(got.count == 3)
        #expect(abs(got.total - expected) <= 1e-9 * max(1, abs(expected)))
    }

    @Test func perplexityScoresNonOverlappingWindowsAndAPartialTail() throws {
        let weights = tinyModel()
        let stream: [Int32] = [1, 3, 5, 7, 9, 2, 4, 6, 8, 10]
        let result = try LlamaForward.perplexity(weights, stream: stream, window: 4)
        // Windows at 0, 4 (4 targets each) and 8 (inputs [8], target [10]): 9 scored tokens.
        #expect(result.windows == 3)
        #expect(result.scored == 9)
        var total = 0.0
        for start in stride(from: 0, to: 9, by: 4) {
            let end = min(start + 4, 9)
            total += try LlamaForward.nll(weights, inputs: Array(stream[start..<end]),
                                          targets: Array(stream[(start + 1)...end])).total
        }
        #expect(abs(result.meanNLL - total / 9) <= 1e-12)
        #expect(abs(result.ppl - exp(total / 9)) <= 1e-9)
        // A stream whose last window would hold only one token drops it.
        #expect(try LlamaForward.perplexity(weights, stream: Array(stream.prefix(9)), window: 4).windows == 2)
    }

    @Test func badInputsThrow() {
        let weights = tinyModel()
        #expect(throws: ModelError.self) { try LlamaForward.logits(weights, tokens: []) }
        #expect(throws: ModelError.self) { try LlamaForward.logits(weights, tokens: [11]) }
        #expect(throws: ModelError.self) { try LlamaForward.logits(weights, tokens: [Int32](repeating: 1, count: 17)) }
        #expect(throws: ModelError.self) { try LlamaForward.nll(weights, inputs: [1, 2], targets: [2]) }
        #expect(throws: ModelError.self) { try LlamaForward.perplexity(weights, stream: [1, 2, 3], window: 0) }
    }

    @Test func greedyForcesThePromptThenFollowsTheArgmax() throws {
        let weights = tinyModel()
        let out = LlamaForward.greedy(weights, prompt: [1, 5, 3], steps: 10, stopOnBOS: false)
        #expect(out.count == 11)
        #expect(Array(out.prefix(3)) == [1, 5, 3])
        for pos in 2..<10 {
            let logits = floats(try LlamaForward.logits(weights, tokens: Array(out.prefix(pos + 1))))
            let row = Array(logits[(pos * 11)..<(pos * 11 + 11)])
            let argmax = try #require(row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) })
            #expect(Int(out[pos + 1]) == argmax)
        }
    }

    @Test(.enabled(if: dataDirectory != nil, Comment(rawValue: needsData)))
    func stories260KLogitsAfterBOSMatchReference() throws {
        let weights = try loadStories()
        let ref = try #require(try reference()["logits_after_bos"] as? [String: Any])
        let expected = try numbers(ref["logits"])
        let got = floats(try LlamaForward.logits(weights, tokens: [1]))
        #expect(got.count == expected.count)
        let worst = zip(got, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        // The reference is printed with 5 decimals (6 significant digits); float32 NumPy.
        #expect(worst <= 1e-4, "worst absolute difference \(worst)")
        var state = LlamaState(config: weights.config)
        let stepped = LlamaForward.step(weights, state: &state, token: 1, position: 0)
        let worstStep = zip(stepped, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(worstStep <= 1e-4, "worst absolute difference (step) \(worstStep)")
    }

    @Test(.enabled(if: dataDirectory != nil, Comment(rawValue: needsData)))
    func stories260KOnceUponATimeTop10MatchesReference() throws {
        let weights = try loadStories()
        let ref = try #require(try reference()["prompt_once_upon_a_time"] as? [String: Any])
        let input = try numbers(ref["input"]).map { Int32($0) }
        let ids = try numbers(ref["top10_next_ids"]).map { Int($0) }
        let values = try numbers(ref["top10_next_logits"])
        let all = floats(try LlamaForward.logits(weights, tokens: input))
        let last = Array(all.suffix(weights.config.vocabSize))
        let top = last.indices.sorted { last[$0] > last[$1] || (last[$0] == last[$1] && $0 < $1) }.prefix(10)
        #expect(Array(top) == ids)
        for (id, value) in zip(ids, values) {
            #expect(abs(Double(last[id]) - value) <= 1e-4 * max(1, abs(value)), "logit of \(id)")
        }
        let nllRef = try numbers(ref["nll_of_input_tokens_1_to_end"])
        let nll = try LlamaForward.nll(weights, inputs: Array(input.dropLast()), targets: Array(input.dropFirst()))
        #expect(abs(nll.total - nllRef.reduce(0, +)) <= 1e-4)
    }

    @Test(.enabled(if: dataDirectory != nil, Comment(rawValue: needsData)))
    func stories260KGreedyFromBOSMatchesRunC() throws {
        let weights = try loadStories()
        let ref = try #require(try reference()["greedy_from_bos"] as? [String: Any])
        let ids = try numbers(ref["ids"]).map { Int32($0) }
        let got = LlamaForward.greedy(weights, prompt: [1], steps: 256, stopOnBOS: true)
        #expect(got == ids)
    }

    /// README "Stream protocol", join=single: the first 32 windows of 256 need 8,193 tokens.
    @Test(.enabled(if: dataDirectory != nil, Comment(rawValue: needsData)))
    func stories260KPerplexityOfFirst32ValidationWindowsMatchesReference() throws {
        let weights = try loadStories()
        let dir = try #require(dataDirectory)
        let tokBytes = try [UInt8](Data(contentsOf: dir.appendingPathComponent("tok512.bin")))
        let tokenizer = try Tokenizer.load(tokBytes, name: "tok512.bin", vocabSize: 512)
        let text = try String(contentsOf: dir.appendingPathComponent("tinystories_val.txt"), encoding: .utf8)
        let needed = 32 * 256 + 1
        var stream: [Int32] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) where stream.count < needed {
            if stream.isEmpty {
                stream += tokenizer.encode(String(line), bos: false, dummyPrefix: true)
            } else {
                stream += [13] + tokenizer.encode(String(line), bos: false, dummyPrefix: false)
            }
        }
        let ref = try #require(try reference()["perplexity_stream_protocol"] as? [String: Any])
        let results = try #require(ref["results"] as? [[String: Any]])
        let row = try #require(results.first { ($0["max_windows"] as? NSNumber)?.intValue == 32 && ($0["window"] as? NSNumber)?.intValue == 256 && ($0["join"] as? String) == "single" })
        let firstIDs = try numbers(row["first_stream_ids"]).map { Int32($0) }
        #expect(Array(stream.prefix(firstIDs.count)) == firstIDs)
        let result = try LlamaForward.perplexity(weights, stream: Array(stream.prefix(needed)), window: 256)
        #expect(result.windows == 32)
        #expect(result.scored == 8192)
        let meanRef = try #require((row["mean_nll_nats"] as? NSNumber)?.doubleValue)
        let pplRef = try #require((row["ppl"] as? NSNumber)?.doubleValue)
        // The reference is float32 NumPy rounded to 6 decimals; float32 sums of 8,192 terms differ
        // by far less than 1e-5 nats per token.
        #expect(abs(result.meanNLL - meanRef) <= 1e-5, "mean NLL \(result.meanNLL)")
        #expect(abs(result.ppl - pplRef) <= 1e-4, "ppl \(result.ppl)")
    }
}
