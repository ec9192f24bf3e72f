import Foundation
import Testing
import TensorModule
@testable import Models

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
        var decoder = try LlamaDecoder(weights)
        var worst: Float = 0
        for (pos, token) in tokens.enumerated() {
            let stepped = decoder.step(token: token, position: pos)
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
        // The kernel exponentiates in f32 (relative error below 2e-7 per term), the check in f64.
        #expect(abs(got.total - expected) <= 1e-6 * max(1, abs(expected)))
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

    @Test func greedyGenerationFollowsTheArgmaxAndStopsBeforeBOSOrEOS() throws {
        let weights = tinyModel()
        let prompt: [Int32] = [1, 5, 3]
        var random = RandomStream(seed: 0)
        let new = try LlamaForward.generate(weights, prompt: prompt, count: 8, temperature: 0, random: &random)
        let out = prompt + new
        for pos in (prompt.count - 1)..<out.count {
            let logits = floats(try LlamaForward.logits(weights, tokens: Array(out.prefix(pos + 1))))
            let row = Array(logits[(pos * 11)..<(pos * 11 + 11)])
            var argmax = 0
            for j in 1..<row.count where row[j] > row[argmax] { argmax = j }
            if pos + 1 < out.count {
                #expect(Int(out[pos + 1]) == argmax)
            } else if new.count < 8 {
                #expect(argmax == 1 || argmax == 2, "stopped early without BOS or EOS next")
            }
        }
        #expect(!new.contains(1) && !new.contains(2))
    }

    @Test func samplingIsDeterministicForASeedAndFollowsTheTemperature() throws {
        let weights = tinyModel()
        func draw(_ seed: UInt64, _ temperature: Double) throws -> [Int32] {
            var random = RandomStream(seed: seed)
            return try LlamaForward.generate(weights, prompt: [3], count: 12, temperature: temperature, random: &random)
        }
        #expect(try draw(4, 1.0) == draw(4, 1.0))
        var greedyStream = RandomStream(seed: 9)
        let greedy = try LlamaForward.generate(weights, prompt: [3], count: 12, temperature: 0, random: &greedyStream)
        #expect(try draw(4, 1e-4) == greedy, "a tiny temperature is the argmax")
        #expect(greedyStream == RandomStream(seed: 9), "greedy decoding draws nothing")
    }

    @Test(.enabled(if: TestData.available, TestData.skipReason))
    func stories260KLogitsAfterBOSMatchReference() throws {
        let weights = try TestData.stories()
        let ref = try #require(try TestData.reference()["logits_after_bos"] as? [String: Any])
        let expected = try numbers(ref["logits"])
        let got = floats(try LlamaForward.logits(weights, tokens: [1]))
        #expect(got.count == expected.count)
        let worst = zip(got, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        // The reference is printed with 5 decimals (6 significant digits); float32 NumPy.
        #expect(worst <= 1e-4, "worst absolute difference \(worst)")
        var decoder = try LlamaDecoder(weights)
        let stepped = decoder.step(token: 1, position: 0)
        let worstStep = zip(stepped, expected).map { abs(Double($0) - $1) }.max() ?? .infinity
        #expect(worstStep <= 1e-4, "worst absolute difference (step) \(worstStep)")
    }

    @Test(.enabled(if: TestData.available, TestData.skipReason))
    func stories260KOnceUponATimeTop10MatchesReference() throws {
        let weights = try TestData.stories()
        let ref = try #require(try TestData.reference()["prompt_once_upon_a_time"] as? [String: Any])
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

    @Test(.enabled(if: TestData.available, TestData.skipReason))
    func stories260KGreedyFromBOSMatchesRunC() throws {
        let weights = try TestData.stories()
        let ref = try #require(try TestData.reference()["greedy_from_bos"] as? [String: Any])
        let ids = try numbers(ref["ids"]).map { Int32($0) }
        let got = try LlamaForward.greedy(weights, prompt: [1], steps: 256)
        #expect(got == ids)
    }

    /// README "Stream protocol", join=single: the first 32 windows of 256 need 8,193 tokens.
    @Test(.enabled(if: TestData.available, TestData.skipReason))
    func stories260KPerplexityOfFirst32ValidationWindowsMatchesReference() throws {
        let weights = try TestData.stories()
        let tokenizer = try Tokenizer.load(try #require(TestData.bytes("tok512.bin")), name: "tok512.bin", vocabSize: 512)
        let text = String(decoding: try #require(TestData.bytes("tinystories_val.txt")), as: UTF8.self)
        let needed = 32 * 256 + 1
        let stream = Array(TestData.validationStream(tokenizer, text).prefix(needed))
        let ref = try #require(try TestData.reference()["perplexity_stream_protocol"] as? [String: Any])
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

    /// The whole validation stream (388,716 tokens) at windows of 256 and 512, against the
    /// reference table of the data README.
    @Test(.enabled(if: TestData.available, TestData.skipReason), arguments: [(256, 4.76589, 1519), (512, 4.68835, 760)])
    func stories260KWholeFilePerplexityMatchesReference(window: Int, expected: Double, windows: Int) throws {
        let weights = try TestData.stories()
        let tokenizer = try Tokenizer.load(try #require(TestData.bytes("tok512.bin")), name: "tok512.bin", vocabSize: 512)
        let text = String(decoding: try #require(TestData.bytes("tinystories_val.txt")), as: UTF8.self)
        let stream = TestData.validationStream(tokenizer, text)
        var reports: [Int] = []
        let result = try LlamaForward.perplexity(weights, stream: stream, window: window) { done, total in
            #expect(total == windows)
            reports.append(done)
        }
        #expect(result.windows == windows)
        #expect(result.scored == 388_715)
        #expect(abs(result.ppl - expected) / expected <= 1e-4, "ppl \(result.ppl)")
        #expect(reports.last == windows && reports == reports.sorted())
    }
}
