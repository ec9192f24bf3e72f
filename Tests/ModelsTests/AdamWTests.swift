import Foundation
import Testing
@testable import Models

/// AdamW against a hand-computed first step and an independent Double implementation of
/// PyTorch's update over several steps; masks keep masked entries exactly zero.
@Suite struct AdamWTests {
    @Test func firstStepMatchesHandComputation() {
        // m = 0.1·0.5 = 0.05, v = 0.05·0.25 = 0.0125; bias-corrected m̂ = 0.5, v̂ = 0.25, √v̂ = 0.5;
        // p = 1·(1 − 0.1·0.1) − 0.1·0.5/0.5 = 0.99 − 0.1 = 0.89.
        var optimizer = AdamW(sizes: [1], beta1: 0.9, beta2: 0.95, epsilon: 0, weightDecay: 0.1)
        var p: [[Float]] = [[1]]
        optimizer.update(&p, gradients: [[0.5]], lr: 0.1, decays: [true], masks: [nil])
        #expect(abs(p[0][0] - 0.89) < 1e-6)
        #expect(optimizer.step == 1)
    }

    @Test func severalStepsMatchADoubleReference() {
        let grads: [[Double]] = [[0.3, -1.2, 2.0], [-0.7, 0.4, 0.0], [1.5, 1.5, -0.25], [0.01, -0.02, 0.5]]
        var optimizer = AdamW(sizes: [3, 3], weightDecay: 0.05)
        var p: [[Float]] = [[0.5, -0.25, 1], [0.5, -0.25, 1]]
        var ref = [0.5, -0.25, 1.0], m = [0.0, 0, 0], v = [0.0, 0, 0]
        for (t, g) in grads.enumerated() {
            let lr = 0.01 * Double(t + 1)
            optimizer.update(&p, gradients: [g.map(Float.init), g.map(Float.init)], lr: lr, decays: [true, false],
                             masks: [nil, nil])
            for j in 0..<3 {
                m[j] = 0.9 * m[j] + 0.1 * g[j]
                v[j] = 0.95 * v[j] + 0.05 * g[j] * g[j]
                let mHat = m[j] / (1 - pow(0.9, Double(t + 1))), vHat = v[j] / (1 - pow(0.95, Double(t + 1)))
                ref[j] = ref[j] * (1 - lr * 0.05) - lr * mHat / (vHat.squareRoot() + 1e-8)
            }
        }
        for j in 0..<3 { #expect(abs(Double(p[0][j]) - ref[j]) < 1e-6, "decayed entry \(j)") }
        // The second buffer has no decay: it differs from the first exactly by the decay terms.
        #expect(p[1] != p[0])
    }

    @Test func maskedEntriesStayExactlyZero() {
        var optimizer = AdamW(sizes: [4], weightDecay: 0.1)
        var p: [[Float]] = [[0, 1, 0, -1]]
        let mask = [false, true, false, true]
        for _ in 0..<5 {
            optimizer.update(&p, gradients: [[1, 1, -1, -1]], lr: 0.1, decays: [true], masks: [mask])
        }
        #expect(p[0][0] == 0 && p[0][2] == 0)
        #expect(p[0][1] != 1 && p[0][3] != -1)
    }

    @Test func clippingScalesToTheMaximumNorm() {
        var g: [[Float]] = [[3], [4]]
        let norm = clipGradientNorm(&g, maxNorm: 1)
        #expect(norm == 5)
        #expect(abs(g[0][0] - 0.6) < 1e-6 && abs(g[1][0] - 0.8) < 1e-6)
        var small: [[Float]] = [[0.3], [0.4]]
        #expect(abs(clipGradientNorm(&small, maxNorm: 1) - 0.5) < 1e-7)
        #expect(small == [[0.3], [0.4]])
    }

    @Test func schedulesWarmUpAndDecay() {
        let cosine = LearningRateSchedule(peak: 1, decay: .cosine, warmup: 2, finalRatio: 0.1, steps: 12)
        #expect(cosine.rate(at: 0) == 0.5 && cosine.rate(at: 1) == 1)
        #expect(abs(cosine.rate(at: 2) - 1) < 1e-12)
        #expect(abs(cosine.rate(at: 11) - 0.1) < 1e-12)
        #expect(abs(cosine.rate(at: 6) - (0.1 + 0.9 * 0.5 * (1 + cos(Double.pi * 4 / 9)))) < 1e-12)
        let linear = LearningRateSchedule(peak: 2, decay: .linear, finalRatio: 0, steps: 5)
        #expect(linear.rate(at: 0) == 2 && linear.rate(at: 2) == 1 && linear.rate(at: 4) == 0)
        #expect(LearningRateSchedule(peak: 3, decay: .constant, steps: 4).rate(at: 3) == 3)
    }
}
