import Testing
@testable import TerminalPlots

@Suite struct BarGoldenTests {
    @Test func basic() throws {
        let chart = try Charts.bar(labels: ["attn.q", "attn.k", "attn.v", "mlp.up"], values: [0.5, 0.25, 0.75, 0.6],
                                   options: ChartOptions(width: 50, title: "sparsity per layer"))
        GoldenFile.check(chart, chart: "bar", case: "basic")
    }

    @Test func negativeValuesUseZeroAxis() throws {
        let chart = try Charts.bar(labels: ["a", "b", "c", "d"], values: [3, -1.5, 0, -3],
                                   options: ChartOptions(width: 40))
        GoldenFile.check(chart, chart: "bar", case: "negative")
    }

    @Test func longLabelsAreCut() throws {
        let chart = try Charts.bar(labels: ["model.layers.0.self_attn.q_proj.weight", "lm_head"], values: [12, 3],
                                   options: ChartOptions(width: 48))
        GoldenFile.check(chart, chart: "bar", case: "long_labels")
    }

    @Test func asciiWithNonFinite() throws {
        let chart = try Charts.bar(labels: ["x", "y", "z"], values: [1, .nan, 2.5],
                                   options: ChartOptions(width: 40, charset: .ascii))
        GoldenFile.check(chart, chart: "bar", case: "ascii_nonfinite")
    }

    @Test func errors() {
        #expect(throws: ChartError.self) { try Charts.bar(labels: ["a"], values: [1, 2], options: ChartOptions()) }
        #expect(throws: ChartError.self) { try Charts.bar(labels: [], values: [], options: ChartOptions()) }
        #expect(throws: ChartError.self) { try Charts.bar(labels: ["a"], values: [.infinity], options: ChartOptions()) }
    }
}
