import Foundation
@testable import PrunebookNotebook
import Testing

@Suite struct OutputComparisonTests {
    private func match(_ expected: String, _ actual: String, rtol: Double = 1e-3, atol: Double = 1e-6) -> Bool {
        OutputComparison.matches(expected: expected, actual: actual, rtol: rtol, atol: atol)
    }

    // MARK: text

    @Test func identicalTextsMatch() {
        #expect(match("", ""))
        #expect(match("hello world\n", "hello world\n"))
        #expect(match("shape [8, 16]\nmean 0.1234\n", "shape [8, 16]\nmean 0.1234\n"))
    }

    @Test func aChangedWordFails() {
        #expect(!match("loss is low\n", "loss is high\n"))
        #expect(!match("Tensor[f32]\n", "Tensor[f64]\n"))
    }

    @Test func aMissingFinalNewlineOnEitherSideIsIgnored() {
        #expect(match("a\nb\n", "a\nb"))
        #expect(match("a\nb", "a\nb\n"))
        #expect(match("1.5\n", "1.5"))
        #expect(match("", "\n"))
    }

    @Test func otherNewlineDifferencesFail() {
        #expect(!match("a\nb\n", "a\nb\n\n"))
        #expect(!match("a\nb\n", "a\n\nb\n"))
        #expect(!match("a b\n", "a\nb\n"))
    }

    // MARK: numbers

    @Test func aChangedIntegerFails() {
        #expect(!match("[3, 3]", "[3, 4]"))
        #expect(!match("100000000000000000001", "100000000000000000000"))
    }

    @Test func equalIntegersMatchWhateverTheirSpelling() {
        #expect(match("[3, 3]", "[3, 3]"))
        #expect(match("+7", "7"))
        #expect(match("007", "7"))
        #expect(match("-0", "0"))
    }

    @Test func aFloatChangedBeyondRtolFails() {
        #expect(!match("0.1235", "0.1250"))
    }

    @Test func aFloatChangedWithinRtolMatches() {
        #expect(match("1.0000", "1.0004", rtol: 1e-3))
        #expect(match("mean 0.12345678\n", "mean 0.12345679\n"))
        #expect(!match("1.0000", "1.0004", rtol: 1e-4, atol: 0))
    }

    @Test func toleranceIsRelativeToTheStoredValue() {
        // |a - b| <= atol + rtol·|b| with b the stored value: 1.0 vs 1.001 passes, 1.001 vs 1.0 does not.
        #expect(match("1.0", "1.001", rtol: 1e-3, atol: 0))
        #expect(!match("1.0", "1.0011", rtol: 1e-3, atol: 0))
        #expect(match("1000.0", "1000.9", rtol: 1e-3, atol: 0))
    }

    @Test func anIntegerAgainstAFloatIsComparedWithTolerance() {
        #expect(match("2", "2.0"))
        #expect(match("2.0", "2"))
        #expect(match("2", "2.0005"))
        #expect(!match("2", "2.01"))
        #expect(match("100", "1e2"))
    }

    @Test func onlyPairsOfIntegersAreExact() {
        #expect(!match("1000", "1001"))
        #expect(match("1000.", "1001", rtol: 1e-3))
    }

    @Test func atolCoversValuesNearZero() {
        #expect(match("0.0", "3e-07"))
        #expect(match("1e-07", "-2e-07"))
        #expect(!match("0.0", "3e-06"))
        #expect(match("0.0", "3e-06", atol: 1e-5))
        #expect(!match("0", "1e-7", atol: 0))
    }

    @Test func exponentsAreNumbers() {
        #expect(match("1.2e-05", "1.2001e-05"))
        #expect(match("1.2e-05", "1.2001e-05", atol: 0))
        #expect(!match("1.2e-05", "1.3e-05", atol: 0))
        #expect(match("1.5E+03", "1500.2"))
        #expect(!match("1e-05", "1e-06"))
    }

    @Test func signsCount() {
        #expect(!match("-0.5", "0.5"))
        #expect(!match("x = -3", "x = 3"))
        #expect(match("+0.5", "0.5"))
    }

    @Test func leadingDotNumbers() {
        #expect(match("p = .5", "p = 0.5"))
        #expect(match("p = .5000", "p = .5001"))
    }

    @Test func aDifferentCountOfNumberTokensFails() {
        #expect(!match("[1.0, 2.0]", "[1.0, 2.0, 3.0]"))
        #expect(!match("1 2", "12"))
        #expect(!match("1.5 -2", "1.5-2"))
    }

    @Test func numbersInsideIdentifiersAreText() {
        #expect(!match("w2 = 1", "w3 = 1"))
        #expect(!match("layers.0.wq", "layers.1.wq"))
        #expect(!match("x_1", "x_2"))
        #expect(!match("conv2d", "conv3d"))
        #expect(!match("layers.0.wq  1.5", "layers.0.wq 1.5001x"))
        #expect(match("layers.0.wq  1.5", "layers.0.wq 1.5001"))
        let tokens = NumberTokenizer("w2 layers.0.wq x_1 é3").tokens()
        #expect(tokens == [.text("w2 layers.0.wq x_1 é3")])
    }

    @Test func nanAndInfAreText() {
        #expect(match("nan", "nan"))
        #expect(match("[inf, -inf]", "[inf, -inf]"))
        #expect(!match("nan", "inf"))
        #expect(!match("inf", "-inf"))
        #expect(!match("nan", "0.0"))
        #expect(!match("1e999", "2e999"))
    }

    @Test func hugeFloatsStillCompareRelatively() {
        #expect(match("1.5e300", "1.5001e300"))
        #expect(!match("1.5e300", "1.6e300"))
    }

    // MARK: spaces

    @Test func spaceRunsNextToNumbersHaveAnyLength() {
        #expect(match("x =  1.5", "x = 1.5"))
        #expect(match("x = 1.5", "x =1.5"))
        #expect(match("[ 1e-07]", "[-1e-07]"))
        let stored = """
        name      rows   sparsity
        wq          16     0.5000
        w2         128     0.4961

        """
        let new = """
        name      rows   sparsity
        wq        16   0.50001
        w2       128  0.49609

        """
        #expect(match(stored, new))
        #expect(!match(stored, new.replacingOccurrences(of: "name      rows", with: "name    rows")))
    }

    @Test func spaceRunsBetweenWordsMustBeEqual() {
        #expect(!match("a  b", "a b"))
        #expect(!match("a b 1", "a  b 1"))
        #expect(!match("  indented", " indented"))
        #expect(!match("a\tb", "a b"))
    }

    @Test func aSpaceCannotMoveIntoAWord() {
        #expect(!match("1.5 ab", "1.5a b"))
    }

    // MARK: durations

    @Test func durationsAreIgnored() {
        #expect(match("~12.3 ms", "~1.02 s"))
        #expect(match("took ~120 µs per call\n", "took ~98.5 ns per call\n"))
        #expect(match("elapsed: ~3 s", "elapsed: ~2.5 min"))
        #expect(match("|  ~12.3 ms |", "| ~1.02 s    |"))
        #expect(match("~1.2 μs", "~40us"))
    }

    @Test func aDurationMustStayADuration() {
        #expect(!match("~12.3 ms", "12.3 ms"))
        #expect(!match("12.3 ms", "~12.3 ms"))
        #expect(!match("~12.3 ms", "~12.3 ms ~1 s"))
    }

    @Test func aTildeWithoutAUnitIsNotADuration() {
        #expect(!match("~3 samples", "~4 samples"))
        #expect(match("~3.0 samples", "~3.0001 samples"))
        #expect(!match("~3 msx", "~4 msx"))
    }

    // MARK: tokenizer

    @Test func tokenizerSplitsNumbersTextAndDurations() {
        let tokens = NumberTokenizer("a=-1.5e-3, n=12 ~3 ms 1. .5 x-1").tokens()
        #expect(tokens == [
            .text("a="), .number(NumberToken(text: "-1.5e-3", isInteger: false)),
            .text(", n="), .number(NumberToken(text: "12", isInteger: true)),
            .text(" "), .duration,
            .text(" "), .number(NumberToken(text: "1.", isInteger: false)),
            .text(" "), .number(NumberToken(text: ".5", isInteger: false)),
            .text(" x-"), .number(NumberToken(text: "1", isInteger: true)),
        ])
    }

    @Test func anIncompleteExponentIsText() {
        let tokens = NumberTokenizer("2e 3e+ 4E-2").tokens()
        #expect(tokens == [
            .number(NumberToken(text: "2", isInteger: true)), .text("e "),
            .number(NumberToken(text: "3", isInteger: true)), .text("e+ "),
            .number(NumberToken(text: "4E-2", isInteger: false)),
        ])
    }

    // MARK: errors

    @Test func errorMatchesWhenTheStoredMessageIsAPrefix() {
        let stored = "error: shape mismatch in `@`: [4, 8] @ [4, 8]\n"
        let new = "error: shape mismatch in `@`: [4, 8] @ [4, 8] (inner dimensions 8 and 4 differ)\n  --> cell 3\n"
        #expect(OutputComparison.errorMatches(expected: stored, actual: new))
        #expect(OutputComparison.errorMatches(expected: new, actual: new))
        #expect(!OutputComparison.errorMatches(expected: new, actual: stored))
    }

    @Test func errorMatchesIgnoresTrailingWhitespaceOnly() {
        #expect(OutputComparison.errorMatches(expected: "error: x  \n\n", actual: "error: x"))
        #expect(OutputComparison.errorMatches(expected: "error: x", actual: "error: x \t\n"))
        #expect(!OutputComparison.errorMatches(expected: "  error: x", actual: "error: x"))
        #expect(!OutputComparison.errorMatches(expected: "error: index 3", actual: "error: index 4 out of range"))
        #expect(OutputComparison.errorMatches(expected: "", actual: "error: anything"))
    }

    // MARK: size

    @Test func tenThousandLineOutputsCompareQuickly() {
        func output(_ scale: Double) -> String {
            var text = ""
            for row in 0..<10_000 {
                text += "row \(row): [\(Double(row) * scale), \(-0.5 * scale)]  ~1.2 ms  name_\(row % 7)\n"
            }
            return text
        }
        let stored = output(1.0)
        let clock = ContinuousClock()
        var same = false, tolerant = false, different = true
        let elapsed = clock.measure {
            same = match(stored, stored + "")
            tolerant = match(stored, output(1.0000001))
            different = match(stored, output(1.01))
        }
        #expect(same && tolerant && !different)
        #expect(elapsed < .seconds(20), "10,000 lines took \(elapsed)")
    }

    @Test func pathologicalRunsStayLinear() {
        let digits = String(repeating: "1", count: 200_000)
        let tildes = String(repeating: "~", count: 200_000)
        let exponents = String(repeating: "1e", count: 100_000)
        let clock = ContinuousClock()
        let elapsed = clock.measure {
            #expect(match(digits, digits + "0", rtol: 0) == false)
            #expect(!match(tildes, tildes + "~"))
            #expect(match(exponents + "x", exponents + "x"))
            #expect(!match(exponents + "x", exponents + "y"))
        }
        #expect(elapsed < .seconds(20), "long runs took \(elapsed)")
    }
}
