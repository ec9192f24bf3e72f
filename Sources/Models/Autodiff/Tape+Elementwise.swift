import Foundation
import TensorModule

// Elementwise operations on the tape: the forward values come from TensorModule (NumPy
// broadcasting, the same kernels the language uses); each backward sums the broadcast
// gradient back to its input's shape.
extension Tape {
    /// `a + b` with NumPy broadcasting.
    public func add(_ a: Variable, _ b: Variable) throws(ModelError) -> Variable { try binary(.add, "add", a, b) }
    /// `a - b` with NumPy broadcasting.
    public func subtract(_ a: Variable, _ b: Variable) throws(ModelError) -> Variable { try binary(.sub, "subtract", a, b) }
    /// `a ⊙ b` with NumPy broadcasting.
    public func multiply(_ a: Variable, _ b: Variable) throws(ModelError) -> Variable { try binary(.mul, "multiply", a, b) }
    /// `a / b` with NumPy broadcasting.
    public func divide(_ a: Variable, _ b: Variable) throws(ModelError) -> Variable { try binary(.div, "divide", a, b) }

    /// `x + s`.
    public func add<S: BinaryFloatingPoint>(_ x: Variable, _ s: S) -> Variable { scalar(.add, x, Double(s), onLeft: false) }
    /// `s + x`.
    public func add<S: BinaryFloatingPoint>(_ s: S, _ x: Variable) -> Variable { scalar(.add, x, Double(s), onLeft: true) }
    /// `x - s`.
    public func subtract<S: BinaryFloatingPoint>(_ x: Variable, _ s: S) -> Variable { scalar(.sub, x, Double(s), onLeft: false) }
    /// `s - x`.
    public func subtract<S: BinaryFloatingPoint>(_ s: S, _ x: Variable) -> Variable { scalar(.sub, x, Double(s), onLeft: true) }
    /// `x · s`.
    public func multiply<S: BinaryFloatingPoint>(_ x: Variable, _ s: S) -> Variable { scalar(.mul, x, Double(s), onLeft: false) }
    /// `s · x`.
    public func multiply<S: BinaryFloatingPoint>(_ s: S, _ x: Variable) -> Variable { scalar(.mul, x, Double(s), onLeft: true) }
    /// `x / s`.
    public func divide<S: BinaryFloatingPoint>(_ x: Variable, _ s: S) -> Variable { scalar(.div, x, Double(s), onLeft: false) }
    /// `s / x`.
    public func divide<S: BinaryFloatingPoint>(_ s: S, _ x: Variable) -> Variable { scalar(.div, x, Double(s), onLeft: true) }
    /// `-x`.
    public func negate(_ x: Variable) -> Variable { scalar(.mul, x, -1, onLeft: false) }

    /// `x ** p` elementwise for a scalar exponent; the gradient is `p · x^(p−1)`.
    public func pow<S: BinaryFloatingPoint>(_ x: Variable, _ p: S) -> Variable {
        let exponent = Double(p)
        let input = value(x)
        let y = evaluate { try Tensor.binary(.pow, input, scalar: exponent, scalarOnLeft: false) }
        return record(y, inputs: [x]) { up, _ in
            let slope = evaluate { try Tensor.binary(.pow, input, scalar: exponent - 1, scalarOnLeft: false) }
            return [mapFloats(up, floatValues(slope)) { g, s in g * Float(exponent) * s }]
        }
    }

    /// `e^x`.
    public func exp(_ x: Variable) -> Variable { unary(.exp, x) }
    /// Natural logarithm.
    public func log(_ x: Variable) -> Variable { unary(.log, x) }
    /// Square root.
    public func sqrt(_ x: Variable) -> Variable { unary(.sqrt, x) }
    /// `|x|`; the gradient at 0 is 0.
    public func abs(_ x: Variable) -> Variable { unary(.abs, x) }
    /// `1 / (1 + e^−x)`.
    public func sigmoid(_ x: Variable) -> Variable { unary(.sigmoid, x) }
    /// Hyperbolic tangent.
    public func tanh(_ x: Variable) -> Variable { unary(.tanh, x) }
    /// `x · sigmoid(x)`.
    public func silu(_ x: Variable) -> Variable { unary(.silu, x) }
    /// `max(x, 0)`; the gradient at 0 is 0.
    public func relu(_ x: Variable) -> Variable { unary(.relu, x) }

    private func binary(_ op: BinaryOp, _ name: String, _ a: Variable, _ b: Variable) throws(ModelError) -> Variable {
        let x = value(a), y = value(b)
        do {
            _ = try Tensor.broadcastShapes(x.shape, y.shape, op: name)
        } catch {
            throw ModelError("\(name): shapes \(x.shape) and \(y.shape) cannot broadcast", kind: .shape)
        }
        let out = elementwise(op, x, y)
        return record(out, inputs: [a, b]) { up, needed in
            let g = Tensor(shape: out.shape, f32: up)
            switch op {
            case .add:
                return [needed[0] ? sumTo(g, x.shape) : nil, needed[1] ? sumTo(g, y.shape) : nil]
            case .sub:
                return [needed[0] ? sumTo(g, x.shape) : nil, needed[1] ? sumTo(g, y.shape).map { -$0 } : nil]
            case .mul:
                return [needed[0] ? sumTo(elementwise(.mul, g, y), x.shape) : nil,
                        needed[1] ? sumTo(elementwise(.mul, g, x), y.shape) : nil]
            default:  // div: ∂/∂a = g / b, ∂/∂b = −g · out / b
                let ga = elementwise(.div, g, y)
                return [needed[0] ? sumTo(ga, x.shape) : nil,
                        needed[1] ? sumTo(elementwise(.mul, ga, out), y.shape).map { -$0 } : nil]
            }
        }
    }

    private func scalar(_ op: BinaryOp, _ x: Variable, _ s: Double, onLeft: Bool) -> Variable {
        let input = value(x)
        let out = evaluate { try Tensor.binary(op, input, scalar: s, scalarOnLeft: onLeft) }
        return record(out, inputs: [x]) { up, _ in
            switch (op, onLeft) {
            case (.add, _), (.sub, false): return [up]
            case (.sub, true): return [up.map { -$0 }]
            case (.mul, _): return [up.map { $0 * Float(s) }]
            case (.div, false): return [up.map { $0 / Float(s) }]
            default:  // s / x: −g · out / x
                return [mapFloats(up, floatValues(out), floatValues(input)) { g, y, v in -g * y / v }]
            }
        }
    }

    private func unary(_ op: UnaryOp, _ x: Variable) -> Variable {
        let input = value(x)
        let out = evaluate { try Tensor.unary(op, input) }
        return record(out, inputs: [x]) { up, _ in
            let v = floatValues(input), y = floatValues(out)
            switch op {
            case .exp: return [mapFloats(up, y, v) { g, y, _ in g * y }]
            case .log: return [mapFloats(up, y, v) { g, _, v in g / v }]
            case .sqrt: return [mapFloats(up, y, v) { g, y, _ in g * 0.5 / y }]
            case .abs: return [mapFloats(up, y, v) { g, _, v in v > 0 ? g : (v < 0 ? -g : 0) }]
            case .sigmoid: return [mapFloats(up, y, v) { g, y, _ in g * y * (1 - y) }]
            case .tanh: return [mapFloats(up, y, v) { g, y, _ in g * (1 - y * y) }]
            case .relu: return [mapFloats(up, y, v) { g, _, v in v > 0 ? g : 0 }]
            default:  // silu: σ(x)·(1 + x·(1 − σ(x)))
                return [mapFloats(up, y, v) { g, _, v in
                    let s = v >= 0 ? 1 / (1 + Foundation.exp(-v)) : Foundation.exp(v) / (1 + Foundation.exp(v))
                    return g * s * (1 + v * (1 - s))
                }]
            }
        }
    }
}

/// `a op b` for `op` in `add sub mul div`, broadcast (checked by the caller). Same shapes run
/// here, in the optimised Models target (the hot case: residual adds, masks); others go to
/// TensorModule's broadcasting.
func elementwise(_ op: BinaryOp, _ a: Tensor, _ b: Tensor) -> Tensor {
    guard a.shape == b.shape else { return evaluate { try Tensor.binary(op, a, b) } }
    let x = floatValues(a), y = floatValues(b)
    switch op {
    case .add: return Tensor(shape: a.shape, f32: mapFloats(x, y) { $0 + $1 })
    case .sub: return Tensor(shape: a.shape, f32: mapFloats(x, y) { $0 - $1 })
    case .mul: return Tensor(shape: a.shape, f32: mapFloats(x, y) { $0 * $1 })
    default: return Tensor(shape: a.shape, f32: mapFloats(x, y) { $0 / $1 })
    }
}

/// The gradient `g` (of a broadcast result) summed over the axes that broadcasting added or
/// stretched, giving the elements of an input of shape `shape`.
func sumTo(_ g: Tensor, _ shape: [Int]) -> [Float] {
    if g.shape == shape { return floatValues(g) }
    let lead = g.ndim - shape.count
    var axes = Array(0..<lead)
    for (i, extent) in shape.enumerated() where extent == 1 && g.shape[lead + i] != 1 { axes.append(lead + i) }
    return floatValues(evaluate { try g.reduce(.sum, axes: axes, keepdims: false) })
}
