import Testing
import TensorModule
@testable import Models

@Suite struct AdamWTrainingTests {
    /// The pieces together: a few AdamW steps on the tiny model's tape gradients lower its loss.
    @Test func trainingTheTinyModelLowersItsLoss() throws {
        var weights = tinyModel(seed: 9, nLayers: 1)
        let names = LlamaModelFile.tensors(weights).map(\.name)
        let inputs = Tensor(shape: [2, 6], i32: [1, 5, 3, 10, 0, 7, 2, 2, 9, 4, 6, 8])
        let targets = Tensor(shape: [2, 6], i32: [5, 3, 10, 0, 7, 7, 2, 9, 4, 6, 8, 1])
        var adam = try AdamW(shapes: LlamaModelFile.tensors(weights).map(\.tensor.shape), weightDecay: 0.01)
        let schedule = LearningRateSchedule(peak: 1e-2, final: 1e-3, total: 30, warmup: 3)
        var losses: [Double] = []
        for step in 0..<30 {
            let tape = Tape()
            let p = LlamaParameters(leavesOf: weights, on: tape)
            let loss = try LlamaGraph.loss(p, inputs: inputs, targets: targets)
            losses.append(tape.value(loss).element(at: 0))
            let byName = try p.gradientsByName(of: loss)
            var grads = names.compactMap { byName[$0] }
            clipGradientNorm(&grads, maxNorm: 1)
            var params = LlamaModelFile.tensors(weights).map(\.tensor)
            try adam.step(&params, gradients: grads, learningRate: Float(schedule.rate(at: step)))
            let updated = Dictionary(uniqueKeysWithValues: zip(names, params))
            weights.tokenEmbedding = try #require(updated["token_embedding"])
            weights.rmsFinal = try #require(updated["rms_final"])
            weights.classifier = updated["wcls"]
            for (name, path) in LlamaLayer.tensors { weights.layers[0][keyPath: path] = try #require(updated["layers.0.\(name)"]) }
        }
        #expect(try #require(losses.last) < 0.8 * losses[0], "losses \(losses)")
    }
}
