import Testing
import TensorModule
@testable import Models

/// The fused LLaMA operations: gradients against finite differences, forwards against the
/// inference kernels.
@Suite struct AutodiffLlamaOpTests {
    @Test func rmsNormMatchesFiniteDifferencesAndTheKernel() throws {
        let x = uniform([3, 8], seed: 71), w = uniform([8], 0.5, 1.5, seed: 72)
        #expect(try gradientError([x, w]) { tape, v in try tape.rmsNorm(v[0], weight: v[1], eps: 1e-5) } < 1e-3)
        let tape = Tape()
        let y = floats(tape.value(try tape.rmsNorm(tape.leaf(x), weight: tape.leaf(w), eps: 1e-5)))
        var expected = [Float](repeating: 0, count: 24)
        llamaRMSNorm(&expected, floats(x), weight: floats(w), rows: 3, n: 8, eps: 1e-5)
        #expect(y == expected)
    }

    @Test(arguments: RopeStyle.allCases)
    func ropeMatchesFiniteDifferencesAndTheKernel(style: RopeStyle) throws {
        var config = LlamaConfig(dim: 8, hiddenDim: 4, nLayers: 1, nHeads: 2, nKVHeads: 1, vocabSize: 4, seqLen: 16,
                                 tiedEmbeddings: true)
        config.ropeStyle = style
        let table = RopeTable(config: config)
        let x = uniform([4, 8], seed: 73)
        let positions = [0, 5, 2, 15]
        #expect(try gradientError([x]) { tape, v in try tape.rope(v[0], positions: positions, table: table) } < 1e-3)
        // Consecutive positions from 0 give exactly the inference kernel's rotation.
        let tape = Tape()
        let y = floats(tape.value(try tape.rope(tape.leaf(x), positions: [0, 1, 2, 3], table: table)))
        var expected = floats(x)
        llamaRoPE(&expected, rows: 4, width: 8, headSize: 4, start: 0, cos: table.cos, sin: table.sin, style: style)
        #expect(y == expected)
        #expect(throws: ModelError.self) { try tape.rope(tape.leaf(x), positions: [0, 1, 2, 16], table: table) }
    }

    @Test func attentionMatchesFiniteDifferencesAndTheKernel() throws {
        // 2 windows of 5 tokens, 4 query heads of width 4 over 2 kv heads.
        let q = uniform([10, 16], seed: 74), k = uniform([10, 8], seed: 75), v = uniform([10, 8], seed: 76)
        let error = try gradientError([q, k, v]) { tape, x in
            try tape.attention(query: x[0], key: x[1], value: x[2], windows: 2, nHeads: 4, nKVHeads: 2, headSize: 4)
        }
        #expect(error < 1e-3, "relative error \(error)")
        let tape = Tape()
        let out = floats(tape.value(try tape.attention(query: tape.leaf(q), key: tape.leaf(k), value: tape.leaf(v),
                                                       windows: 2, nHeads: 4, nKVHeads: 2, headSize: 4)))
        // The second window alone, at position 0, is the second half.
        var expected = [Float](repeating: 0, count: 5 * 16), scores = [Float](repeating: 0, count: 25)
        let qv = floats(q), kv = floats(k), vv = floats(v)
        llamaAttention(&expected, query: Array(qv[80...]), keys: Array(kv[40...]), values: Array(vv[40...]),
                       scores: &scores, rows: 5, start: 0, nHeads: 4, nKVHeads: 2, headSize: 4)
        #expect(Array(out[80...]) == expected)
        #expect(throws: ModelError.self) {
            try tape.attention(query: tape.leaf(q), key: tape.leaf(k), value: tape.leaf(v), windows: 3, nHeads: 4,
                               nKVHeads: 2, headSize: 4)
        }
    }

    @Test func attentionBackwardCoversSeveralQueryBlocks() throws {
        // One window of 70 tokens spans two of the kernel's 64-row query blocks.
        let q = uniform([140, 4], seed: 79), k = uniform([140, 2], seed: 80), v = uniform([140, 2], seed: 81)
        let error = try gradientError([q, k, v]) { tape, x in
            try tape.attention(query: x[0], key: x[1], value: x[2], windows: 2, nHeads: 2, nKVHeads: 1, headSize: 2)
        }
        #expect(error < 1e-3, "relative error \(error)")
    }

    @Test func swiGLUMatchesFiniteDifferencesAndTheKernel() throws {
        let gate = uniform([3, 11], -4, 4, seed: 77), up = uniform([3, 11], seed: 78)
        #expect(try gradientError([gate, up]) { tape, v in try tape.swiGLU(gate: v[0], up: v[1]) } < 1e-3)
        let tape = Tape()
        let y = floats(tape.value(try tape.swiGLU(gate: tape.leaf(gate), up: tape.leaf(up))))
        var expected = floats(gate)
        llamaSwiGLU(&expected, up: floats(up), n: 33)
        #expect(y == expected)
    }
}
