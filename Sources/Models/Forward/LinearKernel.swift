import TensorModule

/// A product that stands in for a linear layer's dense matrix in the forward pass — a
/// compressed sparse matrix from `compress(model, ...)`: `out[n, out] (+)= x[n, in] · Wᵀ` for
/// `n` positions, row-major.
public protocol LinearKernel: Sendable {
    /// `out (+)= x · Wᵀ` for `positions` rows of `x`, over up to `threads` threads.
    func linear(_ out: UnsafeMutablePointer<Float>, _ x: UnsafePointer<Float>, positions: Int, accumulate: Bool, threads: Int)
    /// The bytes the kernel's matrix occupies.
    var nbytes: Int { get }
}

/// A linear's replacement kernel and the dense weight it was made from. The forward uses the
/// kernel only while the model's weight is still that tensor (`==` on an unchanged tensor
/// compares storage identity first, so the check is O(1)); replacing or re-masking the weight
/// returns that layer to the dense product instead of running a stale kernel.
public struct CompressedLinear: Sendable {
    /// The weight the kernel computes with.
    public let source: Tensor
    /// The kernel.
    public let kernel: any LinearKernel

    /// A kernel for `source`.
    public init(source: Tensor, kernel: any LinearKernel) {
        self.source = source
        self.kernel = kernel
    }
}

extension LlamaWeights {
    /// The kernel that runs linear `name` now holding `tensor`: its compressed form, if it has
    /// one made from that very tensor.
    public func kernel(for name: String, holding tensor: Tensor) -> (any LinearKernel)? {
        compressed[name].flatMap { $0.source == tensor ? $0.kernel : nil }
    }

    /// The names of the linears that run through a kernel, in model-file order.
    public var compressedNames: [String] {
        LlamaModelFile.tensors(self).compactMap { kernel(for: $0.name, holding: $0.tensor) == nil ? nil : $0.name }
    }
}
