import Foundation
import PrunebookLanguage
import PrunebookREPL
import Testing

@Suite struct CompletionTests {
    /// The completions at the end of `line` (or at `cursor`).
    private func complete(_ repl: SessionHarness, _ line: String, cursor: Int? = nil) throws -> (start: Int, candidates: [String]) {
        let session = try #require(repl.session)
        return session.completions(line: line, cursor: cursor ?? line.count)
    }

    @Test func builtinPrefixCompletesBuiltins() throws {
        let repl = try SessionHarness()
        let result = try complete(repl, "y = sp")
        #expect(result.start == 4)
        #expect(result.candidates.contains("sparsity"))
        #expect(result.candidates.contains("split"))
        #expect(result.candidates.allSatisfy { $0.hasPrefix("sp") })
        #expect(result.candidates == result.candidates.sorted())
        #expect(Set(result.candidates).count == result.candidates.count)
    }

    @Test func variablesStdlibAndKeywordsComplete() throws {
        let repl = try SessionHarness()
        try repl.run("weights = 1; weight_decay = 2")
        #expect(try complete(repl, "print(wei").candidates == ["weight_decay", "weights"])
        #expect(try complete(repl, "wh").candidates.contains("while"))
        #expect(try complete(repl, "descr").candidates.contains("describe"))
        #expect(try complete(repl, "x = 1").candidates == [])
    }

    @Test func recordFieldsCompleteAfterADot() throws {
        let repl = try SessionHarness()
        try repl.run("r = {mean: 1, max: 2, \"odd key\": 3, other: 4}")
        let result = try complete(repl, "print(r.m")
        #expect(result.start == 8)
        #expect(result.candidates == ["max", "mean"])
        #expect(try complete(repl, "r.").candidates == ["max", "mean", "other"])
        #expect(try complete(repl, "nothing.m").candidates == [])
        #expect(try complete(repl, "1.5").candidates == [])
    }

    @Test func namedParametersCompleteInsideAnOpenCall() throws {
        let repl = try SessionHarness()
        try repl.run("w = ones([2, 2])")
        let result = try complete(repl, "m = mask_topk(w, ke")
        #expect(result.start == 17)
        #expect(result.candidates == ["keep: "], "a matching parameter wins over the builtin `keys`")
        let afterComma = try complete(repl, "mask_topk(w, keep: 1, ").candidates
        #expect(afterComma.contains("axis: "))
        #expect(!afterComma.contains("keep: "))
        #expect(afterComma.contains("w"))
        #expect(try complete(repl, "mask_topk(w, [1, ke").candidates.allSatisfy { !$0.hasSuffix(": ") })
        try repl.run("fn prune(model, sparsity = 0.5) { return model }")
        #expect(try complete(repl, "prune(w, sp").candidates.contains("sparsity: "))
    }

    @Test func pathsCompleteInsideAnOpenString() throws {
        let folder = try makeTemporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("models"), withIntermediateDirectories: true)
        try "".write(to: folder.appendingPathComponent("models/tiny.npy"), atomically: true, encoding: .utf8)
        try "".write(to: folder.appendingPathComponent("mask.npy"), atomically: true, encoding: .utf8)
        try "".write(to: folder.appendingPathComponent(".hidden"), atomically: true, encoding: .utf8)
        let repl = try SessionHarness(folder: folder)
        let top = try complete(repl, "w = load(\"")
        #expect(top.start == 10)
        #expect(top.candidates == ["mask.npy", "models/"])
        #expect(try complete(repl, "load(\"models/t").candidates == ["models/tiny.npy"])
        #expect(try complete(repl, "load(\"m").candidates == ["mask.npy", "models/"])
        #expect(try complete(repl, ":load mo").candidates == ["models/"])
    }

    @Test func metaCommandsCompleteAfterAColon() throws {
        let repl = try SessionHarness()
        let result = try complete(repl, ":sa")
        #expect(result.start == 0)
        #expect(result.candidates == [":save"])
        #expect(try complete(repl, ":").candidates.count == 8)
        #expect(try complete(repl, ":time su").candidates.contains("sum"))
        #expect(try complete(repl, "?spar").candidates == ["sparkline", "sparsegpt", "sparsity"])
    }

    @Test func cursorInTheMiddleCompletesTheWordBeforeIt() throws {
        let repl = try SessionHarness()
        let result = try complete(repl, "spl + 1", cursor: 3)
        #expect(result.start == 0)
        #expect(result.candidates == ["split"])
    }
}
