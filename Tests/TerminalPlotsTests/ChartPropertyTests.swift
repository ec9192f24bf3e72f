import Testing
@testable import TerminalPlots

/// Awkward data never crashes: every chart either renders equally wide lines (braille-only
/// inside the frame for braille) or throws a ChartError.
@Suite struct ChartPropertyTests {
    private static let datasets: [[Double]] = [
        [0], [5, 5, 5], [-3], [1e-300, 2e-300], [-1e300, 1e300], [1e15, 1e15 + 1], [0, 1e-7], [1e15, 1e15 + 0.125, 1e15 + 0.25],
        [1, .nan, 2], [-.infinity, 0, 1], [1e6, 1e6 + 0.5, 1e6 + 1], [-2, -1, -0.5],
    ]

    @Test(arguments: Charset.allCases)
    func awkwardDataRendersOrThrows(charset: Charset) throws {
        for values in Self.datasets {
            for (width, height) in [(12, 2), (30, 4), (80, 15)] {
                let options = ChartOptions(width: width, height: height, title: "t", xlabel: "x", ylabel: "y", charset: charset)
                let xs = values.indices.map(Double.init)
                let renders: [() throws -> String] = [
                    { try Charts.histogram(values, bins: 7, options: options) },
                    { try Charts.histogram(values, bins: 200, log: true, options: options) },
                    { try Charts.scatter(values, values.reversed(), options: options) },
                    { try Charts.line([(name: "a", xs: xs, ys: values), (name: "b", xs: values, ys: xs)], options: options) },
                ]
                for render in renders {
                    do {
                        let chart = try render()
                        GoldenFile.checkShape(chart, braille: charset == .braille)
                        #expect(chart.split(separator: "\n").allSatisfy { $0.count == width })
                    } catch let error as ChartError {
                        #expect(!error.message.isEmpty)
                    }
                }
            }
        }
    }

    @Test func sparklineIsOneLineOfLevels() throws {
        for values in Self.datasets {
            let line = try Charts.sparkline(values)
            #expect(line.count == values.count)
            #expect(line.allSatisfy { "▁▂▃▄▅▆▇█ ".contains($0) })
        }
    }
}
