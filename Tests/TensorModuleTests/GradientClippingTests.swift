import Testing
import TensorModule

@Suite struct GradientClippingTests {
    @Test func clipsTheGlobalNormOnlyWhenItIsExceeded() {
        var grads = [Tensor(shape: [2], f32: [3, 4]), Tensor(shape: [1], f32: [0])]
        #expect(clipGradientNorm(&grads, maxNorm: 10) == 5)
        #expect(grads[0].floats() == [3, 4])
        #expect(clipGradientNorm(&grads, maxNorm: 1) == 5)
        let g = grads[0].floats()
        #expect(Swift.abs(g[0] - 0.6) < 1e-6 && Swift.abs(g[1] - 0.8) < 1e-6)
        #expect(grads[1].floats() == [0])
    }
}
