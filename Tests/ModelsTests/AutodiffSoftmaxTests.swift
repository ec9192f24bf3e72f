import Foundation
import Testing
import TensorModule
@testable import Models

@Suite struct AutodiffSoftmaxTests {
    @Test func softmaxAndLogSoftmaxMatchFiniteDifferences() throws {
        let x = uniform([3, 6], -2, 2, seed: 51)
        #expect(try gradientError([x]) { tape, v in try tape.softmax(v[0]) } < 1e-3)
        #expect(try gradientError([x]) { tape, v in try tape.softmax(v[0], scale: 2.5) } < 1e-3)
        #expect(try gradientError([x]) { tape, v in try tape.logSoftmax(v[0]) } < 1e-3)
    }

    @Test func softmaxRowsSumToOneAndLogSoftmaxIsTheirLog() throws {
        let x = uniform([2, 5], -30, 30, seed: 52)
        let tape = Tape()
        let v = tape.leaf(x)
        let p = floats(tape.value(try tape.softmax(v, scale: 0.5)))
        let logp = floats(tape.value(try tape.logSoftmax(v)))
        let q = floats(tape.value(try tape.softmax(v)))
        for r in 0..<2 {
            #expect(Swift.abs(p[(r * 5)..<(r * 5 + 5)].reduce(0, +) - 1) < 1e-5)
            for j in 0..<5 { #expect(Swift.abs(Foundation.exp(logp[r * 5 + j]) - q[r * 5 + j]) < 1e-5) }
        }
    }

    @Test func crossEntropyMatchesFiniteDifferencesAndTheDefinition() throws {
        let logits = uniform([4, 7], -3, 3, seed: 53)
        let targets: [Int32] = [0, 6, 3, 3]
        #expect(try gradientError([logits]) { tape, v in try tape.crossEntropy(v[0], targets: targets) } < 1e-3)
        let tape = Tape()
        let loss = tape.value(try tape.crossEntropy(tape.leaf(logits), targets: targets)).element(at: 0)
        let values = floats(logits).map(Double.init)
        var expected = 0.0
        for (r, t) in targets.enumerated() {
            let row = values[(r * 7)..<(r * 7 + 7)]
            expected += Foundation.log(row.map { Foundation.exp($0) }.reduce(0, +)) - row[r * 7 + Int(t)]
        }
        #expect(Swift.abs(loss - expected / 4) < 1e-6)
        #expect(throws: ModelError.self) { try tape.crossEntropy(tape.leaf(logits), targets: [0, 7, 1, 1]) }
        #expect(throws: ModelError.self) { try tape.crossEntropy(tape.leaf(logits), targets: [0]) }
    }
}
