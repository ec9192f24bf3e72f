import Testing
import TensorModule

@Suite struct AdamWTests {
    private func close(_ a: [Float], _ b: [Double], _ tolerance: Double = 1e-6) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { Swift.abs(Double($0) - $1) <= tolerance }
    }

    /// Two steps worked by hand (lr 0.01, λ 0.1, β 0.9/0.999): at step 1 the bias-corrected
    /// update is sign(g), so p₁ = 0.999·p₀ − 0.01·sign(g).
    @Test func twoStepsMatchHandComputation() throws {
        var params = [Tensor(shape: [2, 2], f32: [1, -2, 0.5, 3])]
        var adam = try AdamW(shapes: [[2, 2]], weightDecay: 0.1)
        try adam.step(&params, gradients: [Tensor(shape: [2, 2], f32: [0.1, -0.2, 0, 1])], learningRate: 0.01)
        #expect(close(params[0].floats(), [0.989, -1.988, 0.4995, 2.987]))
        // Step 2, g = [0.1, 0.2, …]: entry 0 has m̂ = 0.1, v̂ = 0.01 (update 1); entry 1 has
        // m = 0.002, v = 7.996e-5, so m̂ = 0.002/0.19, √v̂ = 0.2 (update 0.0526316).
        try adam.step(&params, gradients: [Tensor(shape: [2, 2], f32: [0.1, 0.2, 0, -1])], learningRate: 0.01)
        let p = params[0].floats()
        #expect(close([p[0], p[1]], [0.989 * 0.999 - 0.01, -1.988 * 0.999 - 0.01 * 0.002 / 0.19 / 0.2]))
        #expect(adam.steps == 2)
    }

    @Test func maskedEntriesStayExactlyZero() throws {
        var params = [Tensor(shape: [3], f32: [1, 2, 3])]
        var adam = try AdamW(shapes: [[3]], masks: [Tensor(shape: [3], bool: [true, false, true])])
        for _ in 0..<3 {
            try adam.step(&params, gradients: [Tensor(shape: [3], f32: [0.5, -0.5, 0.5])], learningRate: 0.1)
            #expect(params[0].floats()[1] == 0)
        }
        #expect(params[0].floats()[0] < 1)
    }

    @Test func badShapesThrow() throws {
        #expect(throws: TensorError.self) { try AdamW(shapes: [[2]], masks: [Tensor.ones([3])]) }
        var adam = try AdamW(shapes: [[2]])
        var params = [Tensor.ones([2])]
        #expect(throws: TensorError.self) { try adam.step(&params, gradients: [Tensor.ones([3])], learningRate: 0.1) }
    }
}
