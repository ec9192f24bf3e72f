import Testing
import TensorModule
@testable import Models

@Suite struct AutodiffEmbeddingTests {
    @Test func embeddingGathersRowsAndScatterAddsRepeatedIds() throws {
        let table = uniform([5, 3], seed: 61)
        let ids: [Int32] = [4, 0, 4, 2, 4]
        #expect(try gradientError([table]) { tape, v in try tape.embedding(v[0], ids: ids) } < 1e-3)
        let tape = Tape()
        let t = tape.leaf(table)
        let rows = try tape.embedding(t, ids: ids)
        #expect(Array(floats(tape.value(rows))[0..<3]) == Array(floats(table)[12..<15]))
        let g = floats(try tape.gradients(of: tape.sum(rows), withRespectTo: [t])[0])
        #expect(g == [1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 0, 3, 3, 3])
        #expect(throws: ModelError("embedding: ids[0] = 5 is outside 0..<5")) { try tape.embedding(t, ids: [5]) }
    }
}
