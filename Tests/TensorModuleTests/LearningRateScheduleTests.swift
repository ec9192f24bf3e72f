import Testing
import TensorModule

@Suite struct LearningRateScheduleTests {
    @Test func cosineAndLinearDecayMatchHandValues() {
        let cosine = LearningRateSchedule(peak: 1, final: 0.1, total: 10, decay: .cosine)
        let linear = LearningRateSchedule(peak: 1, final: 0.1, total: 10, decay: .linear)
        #expect(cosine.rate(at: 0) == 1)
        #expect(Swift.abs(cosine.rate(at: 2) - 0.914_057_6) < 1e-7)   // 0.1 + 0.9·(1 + cos 0.2π)/2
        #expect(Swift.abs(cosine.rate(at: 5) - 0.55) < 1e-12)
        #expect(Swift.abs(cosine.rate(at: 10) - 0.1) < 1e-12)
        #expect(Swift.abs(linear.rate(at: 2) - 0.82) < 1e-12)
        #expect(LearningRateSchedule(peak: 0.3, total: 10, decay: .constant).rate(at: 7) == 0.3)
    }

    @Test func warmupRisesLinearlyToThePeak() {
        let s = LearningRateSchedule(peak: 1, final: 0.1, total: 12, warmup: 4, decay: .cosine)
        #expect(s.rate(at: 0) == 0.25)
        #expect(s.rate(at: 3) == 1)
        #expect(s.rate(at: 4) == 1)
        #expect(Swift.abs(s.rate(at: 8) - 0.55) < 1e-12)
    }
}
