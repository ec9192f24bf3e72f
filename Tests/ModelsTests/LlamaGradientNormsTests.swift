import Testing
import TensorModule
@testable import Models

@Suite struct LlamaGradientNormsTests {
    static let stream: [Int32] = [1, 5, 3, 10, 0, 7, 2, 9, 4, 6, 8]

    /// One window's weight gradients of its mean next-token cross-entropy, by name.
    private func windowGradients(_ weights: LlamaWeights, _ inputs: [Int32], _ targets: [Int32]) throws -> [String: Tensor] {
        let tape = Tape()
        let p = LlamaParameters(leavesOf: weights, on: tape)
        let loss = try LlamaGraph.loss(p, inputs: Tensor(shape: [inputs.count], i32: inputs),
                                       targets: Tensor(shape: [targets.count], i32: targets))
        return try p.gradientsByName(of: loss)
    }

    /// Elementwise `sqrt(a² + b²)` in Double.
    private func l2(_ a: [Float], _ b: [Float]) -> [Double] {
        zip(a, b).map { x, y in
            let dx = Double(x), dy = Double(y)
            return (dx * dx + dy * dy).squareRoot()
        }
    }

    @Test func normsAreTheL2OverWindowsOfEachWindowsGradient() throws {
        let weights = tinyModel(seed: 11)
        let s = Self.stream
        let norms = try LlamaGradientNorms.compute(weights, tokens: s, windows: 2, seqlen: 5)
        #expect(norms.map(\.name) == (0..<2).flatMap { i in ["wq", "wk", "wv", "wo", "w1", "w2", "w3"].map { "layers.\(i).\($0)" } })
        let first = try windowGradients(weights, Array(s[0..<5]), Array(s[1...5]))
        let second = try windowGradients(weights, Array(s[5..<10]), Array(s[6...10]))
        for (name, norm) in norms {
            let a = floats(first[name]!), b = floats(second[name]!)
            #expect(norm.shape == first[name]!.shape, "\(name)")
            let expected = l2(a, b)
            let worst = zip(floats(norm), expected).map { Swift.abs(Double($0) - $1) / ($1 + 1e-6) }.max() ?? 0
            #expect(worst < 1e-5, "\(name): relative error \(worst)")
        }
    }

    /// With one window the norm is |∂L/∂W_ij|; checked entrywise against central finite
    /// differences of the inference forward's NLL (independent of the tape).
    @Test func oneWindowNormIsTheAbsoluteFiniteDifferenceGradient() throws {
        let weights = tinyModel(seed: 4, nLayers: 1)
        let s = Self.stream
        let norms = Dictionary(uniqueKeysWithValues: try LlamaGradientNorms.compute(weights, tokens: s, windows: 1, seqlen: 6))
        func meanNLL(_ w: LlamaWeights) throws -> Double {
            let r = try LlamaForward.nll(w, inputs: Array(s[0..<6]), targets: Array(s[1...6]))
            return r.total / Double(r.count)
        }
        let named = LlamaModelFile.tensors(weights)
        for (name, flat) in [("layers.0.wq", 3), ("layers.0.wv", 5), ("layers.0.wo", 9), ("layers.0.w2", 17), ("layers.0.w3", 30)] {
            let index = try #require(named.firstIndex { $0.name == name })
            func moved(_ h: Float) throws -> Double {
                var values = floats(named[index].tensor)
                values[flat] += h
                let tensors = named.enumerated().map { $0.offset == index ? Tensor(shape: $0.element.tensor.shape, f32: values) : $0.element.tensor }
                return try meanNLL(LlamaModelFile.replacingTensors(of: weights, with: tensors))
            }
            let h: Float = 1e-2
            let numeric = Swift.abs((try moved(h) - moved(-h)) / Double(2 * h))
            let analytic = Double(floats(norms[name]!)[flat])
            #expect(Swift.abs(numeric - analytic) <= 2e-3 * max(1, numeric), "\(name)[\(flat)]: analytic \(analytic), numeric \(numeric)")
        }
    }

    @Test func aWindowAtTheEndOfTheStreamDropsItsUntargetedPosition() throws {
        let weights = tinyModel(seed: 2)
        let s = Array(Self.stream[0..<10])
        let norms = Dictionary(uniqueKeysWithValues: try LlamaGradientNorms.compute(weights, tokens: s, windows: 2, seqlen: 5))
        let first = try windowGradients(weights, Array(s[0..<5]), Array(s[1...5]))
        let second = try windowGradients(weights, Array(s[5..<9]), Array(s[6...9]))
        let a = floats(first["layers.1.w1"]!), b = floats(second["layers.1.w1"]!)
        let expected = l2(a, b)
        let got = floats(norms["layers.1.w1"]!).map(Double.init)
        #expect(zip(got, expected).allSatisfy { Swift.abs($0 - $1) <= 1e-6 * max(1, $1) })
    }
}
