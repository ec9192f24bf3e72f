import PrunebookLanguage
import Testing

@Suite struct InputCompletenessTests {
    @Test(arguments: ["fn f(x) {", "x = [1,", "y = (2 +", "print(1,", "if a {\n  b = 1", "r = {a: 1,", "x = 1 +"])
    func unfinishedInputAsksForMore(_ text: String) {
        #expect(isIncompleteInput(text))
    }

    @Test(arguments: ["x = 1", "fn f(x) { return x }", "print(\"a\")", "x = 1 2", "x = )", "s = \"open", ""])
    func finishedOrBrokenInputRunsAtOnce(_ text: String) {
        #expect(!isIncompleteInput(text))
    }
}
