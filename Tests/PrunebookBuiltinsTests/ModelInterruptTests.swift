import Foundation
import PrunebookBuiltins
import PrunebookLanguage
import PrunebookTestSupport
import Testing

/// Ctrl-C during a long model builtin: it stops between batches of windows with an
/// interrupt error, and the variables made before it are kept.
@Suite struct ModelInterruptTests {
    @Test(.enabled(if: TestPaths.dataAvailable, "skipped: needs PRUNEBOOK_DATA with stories260K.bin"))
    func perplexityStopsOnInterruptAndKeepsTheSession() throws {
        let interrupt = InterruptFlag()
        let code = """
            m = load_model(data("stories260K.bin"), tokenizer: data("tok512.bin"))
            s = tokenize(m, load(data("tinystories_val.txt")), bos: false)
            print("started")
            ppl = perplexity(m, s)
            """
        let outcome = Self.run(code, interruptingAfterFirstOutput: interrupt, delay: 20_000)
        let error = try #require(outcome.0, "perplexity ran to the end despite the interrupt")
        #expect(error.kind == .interrupt)
        let context = try #require(outcome.1)
        #expect(context.global("s") != nil && context.global("ppl") == nil)
    }

    /// Ctrl-C during `train`: the step in progress finishes, `train` returns the model of the
    /// last finished step (so `r` is set), and the cell then stops as interrupted.
    @Test func trainStopsAfterTheStepInProgressAndReturnsItsModel() throws {
        let interrupt = InterruptFlag()
        let code = """
            m = init_model({dim: 16, hidden_dim: 32, n_layers: 1, n_heads: 2, vocab_size: 12, seq_len: 16})
            s = arange(300) % 12
            print("started")
            r = train(m, s, 100000, seqlen: 16, seed: 1)
            print("not reached")
            """
        var printed: [String] = []
        let outcome = Self.run(code, interruptingAfterFirstOutput: interrupt, delay: 50_000) { printed.append($0) }
        let error = try #require(outcome.0, "train ran to the end despite the interrupt")
        #expect(error.kind == .interrupt)
        #expect(!printed.contains { $0.contains("not reached") })
        let context = try #require(outcome.1)
        guard case .record(let r)? = context.global("r"), case .list(let losses)? = r["losses"] else {
            Issue.record("`r` should hold the partial run, got \(String(describing: context.global("r")))")
            return
        }
        #expect(losses.count >= 1 && losses.count < 100000)
    }

    /// Runs `code` as one cell and requests an interrupt `delay` µs after its first output
    /// (so the long builtin after it has started); returns the cell's error and its context.
    static func run(_ code: String, interruptingAfterFirstOutput interrupt: InterruptFlag, delay: UInt32,
                    output: @escaping (String) -> Void = { _ in }) -> (PrunebookError?, RunContext?) {
        runOnLargeStack { () -> (PrunebookError?, RunContext?) in
            do {
                let started = DispatchSemaphore(value: 0)
                let context = try Interpreter.makeContext(output: { output($0); started.signal() }, interrupt: interrupt)
                let watcher = Thread {
                    started.wait()
                    usleep(delay)
                    interrupt.request()
                }
                watcher.start()
                do {
                    try Interpreter.runCell(SourceFile(name: "cell", text: code), in: context)
                    return (nil, context)
                } catch {
                    return (asPrunebookError(error), context)
                }
            } catch {
                return (asPrunebookError(error), nil)
            }
        }
    }
}
