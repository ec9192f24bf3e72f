import Testing
@testable import Pruning

@Suite struct PruningErrorTests {
    @Test func messageAndKindAreKept() {
        let error = PruningError("sparsity must be in [0, 1), got 1.5")
        #expect(error.description == "sparsity must be in [0, 1), got 1.5")
        #expect(error.kind == .value)
        #expect(PruningError("x", kind: .shape).kind == .shape)
    }
}
