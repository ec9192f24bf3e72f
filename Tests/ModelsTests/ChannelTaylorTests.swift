import Testing
import TensorModule
@testable import Models

@Suite struct ChannelTaylorTests {
    static let stream: [Int32] = [1, 5, 3, 10, 0, 7, 2, 9, 4, 6, 8]

    /// The mean over windows of each window's weight gradients, straight from the tape.
    private func meanGradients(_ weights: LlamaWeights, windows: [(ArraySlice<Int32>, ArraySlice<Int32>)]) throws -> [String: [Double]] {
        var sums: [String: [Double]] = [:]
        for (inputs, targets) in windows {
            let tape = Tape()
            let p = LlamaParameters(leavesOf: weights, on: tape)
            let loss = try LlamaGraph.loss(p, inputs: Tensor(shape: [inputs.count], i32: Array(inputs)),
                                           targets: Tensor(shape: [targets.count], i32: Array(targets)))
            for (name, g) in try p.gradientsByName(of: loss) {
                let v = floats(g).map { Double($0) / Double(windows.count) }
                sums[name] = zip(sums[name] ?? [Double](repeating: 0, count: v.count), v).map(+)
            }
        }
        return sums
    }

    /// `Σ|w·g|` over the entries of `name` (an `[out, in]` matrix) where `tied(row, column)`.
    private func taylor(_ weights: LlamaWeights, _ grads: [String: [Double]], _ name: String,
                        _ tied: (Int, Int) -> Bool) -> Double {
        let tensor = LlamaModelFile.tensors(weights).first { $0.name == name }!.tensor
        let w = floats(tensor), g = grads[name]!, columns = tensor.shape[1]
        var total = 0.0
        for r in 0..<tensor.shape[0] {
            for c in 0..<columns where tied(r, c) { total += Swift.abs(Double(w[r * columns + c]) * g[r * columns + c]) }
        }
        return total
    }

    @Test func scoresSumTheTaylorSaliencyOfEveryWeightTiedToTheChannel() throws {
        let weights = tinyModel(seed: 5)   // 2 query heads on 1 KV head, head size 4, hidden 12
        let s = Self.stream
        let scores = Dictionary(uniqueKeysWithValues: try ChannelTaylor.compute(weights, tokens: s, windows: 2, seqlen: 5))
        #expect(scores.keys.sorted() == ["layers.0.w2", "layers.0.wo", "layers.1.w2", "layers.1.wo"])
        let grads = try meanGradients(weights, windows: [(s[0..<5], s[1...5]), (s[5..<10], s[6...10])])
        for i in 0..<2 {
            let p = "layers.\(i)."
            let neurons = floats(scores[p + "w2"]!)
            #expect(neurons.count == 12)
            for j in 0..<12 {
                let expected = taylor(weights, grads, p + "w1") { r, _ in r == j } + taylor(weights, grads, p + "w3") { r, _ in r == j }
                    + taylor(weights, grads, p + "w2") { _, c in c == j }
                #expect(Swift.abs(Double(neurons[j]) - expected) <= 1e-5 * expected + 1e-12, "\(p)w2[\(j)]")
            }
            let heads = floats(scores[p + "wo"]!)
            let expected = ["wq", "wk", "wv"].map { taylor(weights, grads, p + $0) { _, _ in true } }.reduce(0, +)
                + taylor(weights, grads, p + "wo") { _, _ in true }
            #expect(heads.count == 1)
            #expect(Swift.abs(Double(heads[0]) - expected) <= 1e-5 * expected)
        }
    }

    @Test func kvGroupsTakeTheirQueryHeadsRowsAndWoColumns() throws {
        let config = LlamaConfig(dim: 8, hiddenDim: 6, nLayers: 1, nHeads: 4, nKVHeads: 2, vocabSize: 11, seqLen: 16, tiedEmbeddings: true)
        let weights = try LlamaWeights.random(config: config, seed: 3)
        let s = Self.stream
        let heads = floats(try ChannelTaylor.compute(weights, tokens: s, windows: 1, seqlen: 10)[0].scores)
        let grads = try meanGradients(weights, windows: [(s[0..<10], s[1...10])])
        for g in 0..<2 {   // head size 2: KV head g has rows 2g, 2g+1 of wk/wv; query heads 2g, 2g+1 rows 4g..<4g+4 of wq
            let expected = taylor(weights, grads, "layers.0.wq") { r, _ in r / 4 == g }
                + taylor(weights, grads, "layers.0.wk") { r, _ in r / 2 == g } + taylor(weights, grads, "layers.0.wv") { r, _ in r / 2 == g }
                + taylor(weights, grads, "layers.0.wo") { _, c in c / 4 == g }
            #expect(Swift.abs(Double(heads[g]) - expected) <= 1e-5 * expected + 1e-12, "group \(g)")
        }
    }

    @Test func zeroedChannelsScoreZeroAndTheOthersDoNot() throws {
        var weights = tinyModel(seed: 9, nLayers: 1)
        func zero(_ t: inout Tensor, rows: Range<Int>? = nil, columns: Range<Int>? = nil) {
            var v = floats(t)
            let width = t.shape[1]
            for index in v.indices where (rows?.contains(index / width) ?? true) && (columns?.contains(index % width) ?? true) { v[index] = 0 }
            t = Tensor(shape: t.shape, f32: v)
        }
        zero(&weights.layers[0].w1, rows: 3..<4)
        zero(&weights.layers[0].w3, rows: 3..<4)
        zero(&weights.layers[0].w2, columns: 3..<4)
        let neurons = floats(try ChannelTaylor.compute(weights, tokens: Self.stream, windows: 2, seqlen: 5)[1].scores)
        #expect(neurons[3] == 0)
        #expect(neurons.enumerated().allSatisfy { $0.offset == 3 || $0.element > 0 })
        for name in [\LlamaLayer.wq, \.wk, \.wv, \.wo] { zero(&weights.layers[0][keyPath: name]) }
        #expect(floats(try ChannelTaylor.compute(weights, tokens: Self.stream, windows: 2, seqlen: 5)[0].scores) == [0])
    }
}
