import TensorModule

/// One value on a `Tape`: an index into it. Cheap to copy, hash and send; it means something
/// only to the tape that made it.
public struct Variable: Hashable, Sendable {
    /// The position of the value on its tape (values are numbered in the order they were made).
    public let index: Int
    /// The tape that made the variable, to catch variables passed to another tape.
    let tape: ObjectIdentifier
}

/// A reverse-mode automatic differentiation tape (micrograd/tinygrad style): every operation
/// computes its f32 value at once, stores it, and registers beside it the closure that maps
/// the gradient of its output to the gradients of its inputs. `gradients(of:withRespectTo:)`
/// then walks the tape backwards once.
///
/// Operations live in `Tape+<Family>.swift`, each with its backward next to its forward.
/// A node records whether any of its inputs needs a gradient; when none does (constants, or
/// frozen weights made with `requiresGradient: false`), no backward closure is kept and the
/// backward walk skips it.
///
/// A tape is meant for one thread at a time: build the graph, take the gradients, drop it (a
/// training step makes a fresh tape). It is `@unchecked Sendable` so that language handles
/// holding a tape can be `Sendable`; the caller must not use one tape from two threads at once.
public final class Tape: @unchecked Sendable {
    /// Maps the gradient of a node's output to gradients of its inputs, in input order; an
    /// entry is asked for only when `needed[i]` and may be nil otherwise. Gradients are
    /// row-major f32 arrays of the input's element count.
    typealias Backward = (_ upstream: [Float], _ needed: [Bool]) -> [[Float]?]

    struct Node {
        let value: Tensor
        let inputs: [Int]
        /// Nil for leaves and for nodes none of whose inputs needs a gradient.
        let backward: Backward?
        let requiresGradient: Bool
    }

    private(set) var nodes: [Node] = []

    /// An empty tape.
    public init() {}

    /// The number of values recorded so far.
    public var count: Int { nodes.count }

    /// A leaf holding `t` (converted to f32 when it is i32 or bool). Gradients can be taken
    /// with respect to it only when `requiresGradient`; leaves without are constants that cost
    /// nothing in the backward walk.
    public func leaf(_ t: Tensor, requiresGradient: Bool = true) -> Variable {
        let value = t.dtype == .f32 ? t : t.astype(.f32)
        nodes.append(Node(value: value, inputs: [], backward: nil, requiresGradient: requiresGradient))
        return Variable(index: nodes.count - 1, tape: ObjectIdentifier(self))
    }

    /// The value of `v`.
    public func value(_ v: Variable) -> Tensor {
        check(v)
        return nodes[v.index].value
    }

    /// The shape of `v`'s value.
    public func shape(_ v: Variable) -> [Int] { value(v).shape }

    /// Whether gradients flow into `v` (it is a leaf made with `requiresGradient`, or depends on one).
    public func requiresGradient(_ v: Variable) -> Bool {
        check(v)
        return nodes[v.index].requiresGradient
    }

    /// The gradients of `loss` (which must hold exactly one element) with respect to each of
    /// `variables`, in order, each shaped like its variable. A variable `loss` does not depend
    /// on gets zeros; a variable used several times gets the sum of its uses. Only nodes on a
    /// path from a requested variable to `loss` run their backward.
    public func gradients(of loss: Variable, withRespectTo variables: [Variable]) throws(ModelError) -> [Tensor] {
        check(loss)
        let lossValue = nodes[loss.index].value
        guard lossValue.count == 1 else {
            throw ModelError("gradients: the loss must hold exactly one element, got shape \(lossValue.shape)", kind: .shape)
        }
        for v in variables {
            check(v)
            guard nodes[v.index].requiresGradient else {
                throw ModelError("gradients: variable \(v.index) does not require a gradient (made with requiresGradient: false)")
            }
        }
        // Forward sweep: which nodes lie on a path from a requested variable.
        var relevant = [Bool](repeating: false, count: loss.index + 1)
        for v in variables where v.index <= loss.index { relevant[v.index] = true }
        for i in 0...loss.index where !relevant[i] {
            let node = nodes[i]
            if node.backward != nil, node.inputs.contains(where: { relevant[$0] }) { relevant[i] = true }
        }
        var grads = [[Float]?](repeating: nil, count: loss.index + 1)
        if relevant[loss.index] { grads[loss.index] = [1] }
        let requested = Set(variables.map(\.index))
        for i in stride(from: loss.index, through: 0, by: -1) {
            guard relevant[i], let upstream = grads[i], let backward = nodes[i].backward else { continue }
            let inputs = nodes[i].inputs
            let needed = inputs.map { relevant[$0] }
            let contributions = backward(upstream, needed)
            for (k, input) in inputs.enumerated() where needed[k] {
                guard let g = contributions[k] else { preconditionFailure("backward of node \(i) omitted a needed gradient") }
                precondition(g.count == nodes[input].value.count, "backward of node \(i) gave a gradient of the wrong size")
                accumulate(&grads[input], g)
            }
            if !requested.contains(i) { grads[i] = nil }
        }
        return variables.map { v in
            let shape = nodes[v.index].value.shape
            guard v.index <= loss.index, let g = grads[v.index] else { return Tensor.zeros(shape) }
            return Tensor(shape: shape, f32: g)
        }
    }

    /// Records an operation's value computed from `inputs`; `backward` is kept only when some
    /// input requires a gradient.
    func record(_ value: Tensor, inputs: [Variable], backward: @escaping Backward) -> Variable {
        let requires = inputs.contains { nodes[$0.index].requiresGradient }
        nodes.append(Node(value: value, inputs: inputs.map(\.index), backward: requires ? backward : nil,
                          requiresGradient: requires))
        return Variable(index: nodes.count - 1, tape: ObjectIdentifier(self))
    }

    /// The f32 elements of `v` (shared storage, no copy).
    func floats(_ v: Variable) -> [Float] {
        check(v)
        guard case .f32(let values) = nodes[v.index].value.data else { preconditionFailure("tape values are f32") }
        return values
    }

    /// Traps when `v` belongs to another tape or is out of range (a programming error).
    func check(_ v: Variable) {
        precondition(v.tape == ObjectIdentifier(self) && v.index < nodes.count, "variable \(v.index) is not on this tape")
    }

    private func accumulate(_ slot: inout [Float]?, _ g: [Float]) {
        guard var sum = slot else {
            slot = g
            return
        }
        slot = nil
        sum.withUnsafeMutableBufferPointer { s in
            g.withUnsafeBufferPointer { a in
                for j in 0..<s.count { s[j] += a[j] }
            }
        }
        slot = sum
    }
}
