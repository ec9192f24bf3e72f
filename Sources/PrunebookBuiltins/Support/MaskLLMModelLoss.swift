import Models
import Pruning
import TensorModule

/// MaskLLM's model mode (algorithms.md §6): the loss closure `Pruning.MaskLLM` trains
/// against, built from a model and its calibration windows. Step t feeds windows
/// `t·batch ..< (t+1)·batch` (modulo the window count, so they cycle), each `seqlen` tokens from
/// position 0 with the next tokens as targets, and returns the mean next-token cross-entropy
/// and its gradients with respect to the masked block linears (every other tensor frozen).
struct MaskLLMModelLoss {
    /// The model whose block linears are masked.
    let weights: LlamaWeights
    /// The masked linears, `layers.{i}.{name}`, in the order the engine's lists use.
    let names: [String]
    /// The calibration token stream.
    let tokens: [Int32]
    /// Windows of `seqlen` tokens that fit with a next token each, and windows per step.
    let windows: Int, seqlen: Int, batch: Int

    /// The loss of step `step` with the block linears replaced by `masked`, and its gradients.
    func loss(step: Int, masked: [Tensor]) throws -> (loss: Double, gradients: [Tensor]) {
        let starts = (0..<batch).map { ((step * batch + $0) % windows) * seqlen }
        let (inputs, targets) = LlamaTraining.batch(tokens, starts: starts, seqLen: seqlen)
        let tape = Tape()
        var parameters = LlamaParameters(leavesOf: weights, on: tape, trainable: { _ in false })
        for (name, tensor) in zip(names, masked) { parameters[name] = tape.leaf(tensor, requiresGradient: true) }
        let loss = try LlamaGraph.loss(parameters, inputs: inputs, targets: targets)
        let byName = try parameters.gradientsByName(of: loss)
        let gradients = zip(names, masked).map { name, tensor in byName[name] ?? Tensor.zeros(tensor.shape) }
        return (tape.value(loss).element(at: 0), gradients)
    }

    /// Each block linear's Gram matrix `XᵀX` from one calibration of the (dense) model on the
    /// windows, by name (for SparseGPT's no-update prior).
    func grams(progress: (Int, Int) throws -> Void) throws -> [String: Tensor] {
        let sums = try LlamaCalibration.statistics(weights, tokens: tokens, windows: windows, seqlen: seqlen, gram: true,
                                                   progress: progress)
        var out: [String: Tensor] = [:]
        for name in names {
            let parts = name.split(separator: ".")
            guard parts.count == 3, let block = Int(parts[1]), let input = LinearInput.of(String(parts[2])),
                  let gram = sums[block][input.rawValue].gram else { continue }
            let width = sums[block][input.rawValue].width
            out[name] = Tensor(shape: [width, width], f32: gram.map { Float($0) })
        }
        return out
    }
}
