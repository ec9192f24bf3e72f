@testable import PrunebookLanguage
import Testing

@Suite struct FormatSpecTests {
    func format(_ value: Double, _ spec: String) throws -> String {
        try FormatSpec(parsing: spec).format(.number(value))
    }

    @Test func fixedScientificPercentAndGrouping() throws {
        #expect(try format(3.14159, ".3f") == "3.142")
        #expect(try format(12345.678, ".2e") == "1.23e+04")
        #expect(try format(0.256, ".1%") == "25.6%")
        #expect(try format(1234567, ",") == "1,234,567")
        #expect(try format(2.5, ">8") == "     2.5")
        #expect(try format(-0.0004, ".3f") == "-0.000")
    }

    @Test func numbersFormatAsDisplayedWithoutASpecType() {
        #expect(formatNumber(2) == "2")
        #expect(formatNumber(0.1) == "0.1")
        #expect(formatNumber(1e-7) == "1e-07")
        #expect(formatNumber(-4) == "-4")
    }

    @Test func badSpecIsAValueError() {
        #expect(throws: PrunebookError.self) { try FormatSpec(parsing: ".xf") }
    }
}
