import Testing
@testable import Pruning

/// Adapt-Pruner's allocation (algorithms.md §8): the properties the spec lists.
struct AdaptAllocationTests {
    @Test func normalizedImportancesHaveMeanZeroAndLargestMagnitudeOne() {
        let normalized = AdaptAllocation.normalized([-0.9, -0.5, -0.7, -0.2])
        #expect(abs(normalized.reduce(0, +)) < 1e-12)
        #expect(abs((normalized.map(abs).max() ?? 0) - 1) < 1e-12)
        #expect(AdaptAllocation.normalized([0.3, 0.3, 0.3]) == [0, 0, 0])
        #expect(AdaptAllocation.normalized([]) == [])
    }

    @Test func handComputedAllocation() throws {
        // I − mean = [−0.2, 0.2, 0], Î = [−1, 1, 0].
        let s = try AdaptAllocation.sparsities(importances: [-0.9, -0.5, -0.7], target: 0.5, amplitude: 0.25)
        #expect(zip(s, [0.75, 0.25, 0.5]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func withoutClippingTheMeanIsTheTarget() throws {
        let importances = [-0.78, -0.85, -0.88, -0.89, -0.86, -0.5]
        for target in [0.1, 0.5, 0.7] {
            let s = try AdaptAllocation.sparsities(importances: importances, target: target, amplitude: 0.05)
            #expect(abs(s.reduce(0, +) / Double(s.count) - target) < 1e-12)
        }
    }

    @Test func moreImportantLayersGetLowerSparsity() throws {
        let importances = [-0.2, -0.9, -0.4, -0.95, -0.6]
        let s = try AdaptAllocation.sparsities(importances: importances, target: 0.5, amplitude: 0.1)
        for i in importances.indices {
            for j in importances.indices where importances[i] > importances[j] {
                #expect(s[i] < s[j])
            }
        }
    }

    @Test func zeroAmplitudeIsUniformAndClippingHoldsTheBounds() throws {
        #expect(try AdaptAllocation.sparsities(importances: [-0.1, -0.9, -0.5], target: 0.4, amplitude: 0) == [0.4, 0.4, 0.4])
        let clipped = try AdaptAllocation.sparsities(importances: [-0.1, -0.9, -0.5], target: 0.95, amplitude: 0.5)
        #expect(zip(clipped, [0.45, 0.99, 0.95]).allSatisfy { abs($0 - $1) < 1e-12 })
        let low = try AdaptAllocation.sparsities(importances: [-0.1, -0.9], target: 0.05, amplitude: 0.5)
        #expect(low[0] == 0 && abs(low[1] - 0.55) < 1e-12)
    }

    @Test func badOptionsAreClearErrors() {
        #expect(throws: PruningError("target: sparsity must be in [0, 1), got 1.0")) {
            try AdaptAllocation.sparsities(importances: [0], target: 1, amplitude: 0)
        }
        #expect(throws: PruningError("amplitude: expected a finite number ≥ 0, got -0.1")) {
            try AdaptAllocation.sparsities(importances: [0], target: 0.5, amplitude: -0.1)
        }
        #expect(throws: PruningError("importances: every importance must be finite")) {
            try AdaptAllocation.sparsities(importances: [0, .nan], target: 0.5, amplitude: 0.1)
        }
    }
}
