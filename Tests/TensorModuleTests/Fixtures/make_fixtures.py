#!/usr/bin/python3
"""Writes core.json: NumPy reference results for TensorModule's core (broadcasting,
reductions, softmax, logsumexp, var/std, norms, cumsum), the display layout of i32 tensors
(NumPy's array2string with our prefix and suffix), and an independent Python
implementation of RandomStream (SplitMix64-seeded xoshiro256**, Box-Muller, Lemire).

Run from anywhere with /usr/bin/python3 (NumPy installed); the JSON lands beside this script.
Inputs come from simple formulas rounded to float32, so the JSON holds exactly the f32 values
the Swift side computes on. Expected values are computed by NumPy in float64 from those f32
inputs (the exact answer the f32 result should round to). Tensors are written as
{"shape": [...], "data": [...]} in row-major order.
"""
import json
import math
import os

import numpy as np

MASK64 = (1 << 64) - 1


def f32(array):
    """The formula's values rounded to float32, returned as float64 for exact arithmetic."""
    return np.asarray(array, dtype=np.float32).astype(np.float64)


def entry(array):
    array = np.asarray(array, dtype=np.float64)
    return {"shape": list(array.shape), "data": [float(x) for x in array.reshape(-1)]}


def wave(shape, scale, phase):
    """scale·sin(0.7·k + phase) over k = 0, 1, … in row-major order, rounded to f32."""
    n = int(np.prod(shape)) if shape else 1
    return f32((scale * np.sin(0.7 * np.arange(n) + phase)).reshape(shape))


# --- RandomStream reference ------------------------------------------------------------

def splitmix64(state):
    state = (state + 0x9E3779B97F4A7C15) & MASK64
    z = state
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
    return state, z ^ (z >> 31)


def rotl(x, k):
    return ((x << k) | (x >> (64 - k))) & MASK64


class Xoshiro256StarStar:
    def __init__(self, seed):
        x = seed & MASK64
        self.s = []
        for _ in range(4):
            x, z = splitmix64(x)
            self.s.append(z)
        self.cached = None

    def next(self):
        s = self.s
        result = (rotl((s[1] * 5) & MASK64, 7) * 9) & MASK64
        t = (s[1] << 17) & MASK64
        s[2] ^= s[0]
        s[3] ^= s[1]
        s[1] ^= s[2]
        s[0] ^= s[3]
        s[2] ^= t
        s[3] = rotl(s[3], 45)
        return result

    def next_double(self):
        return (self.next() >> 11) * 2.0 ** -53

    def next_float(self):
        return (self.next() >> 40) * 2.0 ** -24

    def next_normal(self):
        if self.cached is not None:
            z, self.cached = self.cached, None
            return z
        u1 = 1.0 - self.next_double()
        u2 = self.next_double()
        r = math.sqrt(-2.0 * math.log(u1))
        theta = 2.0 * math.pi * u2
        self.cached = r * math.sin(theta)
        return r * math.cos(theta)

    def next_int(self, bound):
        """Lemire's multiply-shift with rejection."""
        m = self.next() * bound
        low = m & MASK64
        if low < bound:
            threshold = ((1 << 64) - bound) % bound
            while low < threshold:
                m = self.next() * bound
                low = m & MASK64
        return m >> 64


def random_fixtures():
    """Per seed: raw outputs (as decimal strings, beyond JSON's exact integers), uniforms,
    normals and bounded integers, each from a fresh stream."""
    out = {}
    for seed in (0, 42):
        streams = [Xoshiro256StarStar(seed) for _ in range(5)]
        out[str(seed)] = {
            "u64": [str(streams[0].next()) for _ in range(4)],
            "double": [streams[1].next_double() for _ in range(4)],
            "float": [streams[2].next_float() for _ in range(4)],
            "normal": [streams[3].next_normal() for _ in range(5)],
            "intBelow10": [streams[4].next_int(10) for _ in range(8)],
        }
    return out


# --- NumPy reference cases -------------------------------------------------------------

def main():
    cases = []

    def case(name, op, inputs, expected, **params):
        cases.append({"name": name, "op": op, "inputs": [entry(x) for x in inputs],
                      "params": params, "expected": entry(expected)})

    # Broadcasting.
    a23 = wave((2, 3), 2.0, 0.1)
    b3 = wave((3,), 1.5, 1.0)
    case("add row vector", "add", [a23, b3], a23 + b3)
    a31 = wave((3, 1), 1.0, 0.3)
    b14 = wave((1, 4), 2.5, 0.9)
    case("mul column by row", "mul", [a31, b14], a31 * b14)
    a213 = wave((2, 1, 3), 3.0, 0.2)
    b41 = wave((4, 1), 0.5, 2.0)
    case("sub rank 3 against rank 2", "sub", [a213, b41], a213 - b41)
    num = f32([[-7.0, -3.5, 2.0], [7.0, 3.5, -2.0]])
    den = f32([3.0, -2.0, 1.5])
    case("mod takes the divisor's sign", "mod", [num, den], np.mod(num, den))
    base = f32([[0.5, 2.0, 3.0], [-2.0, 1.5, 4.0]])
    expo = f32([2.0, -1.0, 0.5])
    case("pow broadcast", "pow", [base[:, :2], expo[:2]], np.power(base[:, :2], expo[:2]))
    case("maximum broadcast", "maximum", [a23, b3], np.maximum(a23, b3))

    # Reductions over a [2, 3, 4] tensor.
    x = wave((2, 3, 4), 4.0, 0.5) + 1.0
    x = f32(x)
    for op, fn in (("sum", np.sum), ("mean", np.mean), ("var", np.var), ("std", np.std),
                   ("max", np.max), ("min", np.min), ("prod", np.prod)):
        for axes in (None, [1], [0, 2], [-1]):
            for keep in (False, True):
                axis = None if axes is None else tuple(axes)
                case(f"{op} axes {axes} keepdims {keep}", op, [x],
                     fn(x, axis=axis, keepdims=keep), axes=axes, keepdims=keep)
    for op, fn in (("argmax", np.argmax), ("argmin", np.argmin)):
        for axis in (None, 0, 1, 2):
            case(f"{op} axis {axis}", op, [x], fn(x, axis=axis), axes=None if axis is None else [axis],
                 keepdims=False)

    # Softmax and logsumexp, including large logits that overflow a naive exp.
    logits = f32(wave((3, 5), 6.0, 0.4) + np.array([[0.0], [80.0], [-90.0]]))
    for axis in (0, 1, -1):
        shifted = logits - logits.max(axis=axis, keepdims=True)
        e = np.exp(shifted)
        case(f"softmax axis {axis}", "softmax", [logits], e / e.sum(axis=axis, keepdims=True), axis=axis)
    for axis in (None, 0, 1):
        for keep in (False, True):
            m = logits.max(axis=axis, keepdims=True)
            lse = m + np.log(np.exp(logits - m).sum(axis=axis, keepdims=True))
            if not keep:
                lse = lse.reshape(()) if axis is None else lse.squeeze(axis=axis)
            case(f"logsumexp axis {axis} keepdims {keep}", "logsumexp", [logits], lse,
                 axis=axis, keepdims=keep)

    # Vector norms (torch.linalg.vector_norm semantics), written out explicitly.
    v = wave((3, 4), 2.0, 0.6)
    for p in (2.0, 1.0, "inf", 3.0, 0.5):
        for axes in (None, [1], [0]):
            axis = None if axes is None else tuple(axes)
            av = np.abs(v)
            if p == "inf":
                expected = av.max(axis=axis)
            else:
                expected = (av ** p).sum(axis=axis) ** (1.0 / p)
            case(f"norm p {p} axes {axes}", "norm", [v], expected, p=p, axes=axes, keepdims=False)

    # Cumulative sums.
    c = wave((3, 4), 3.0, 0.8)
    case("cumsum axis 0", "cumsum", [c], np.cumsum(c, axis=0), axis=0)
    case("cumsum axis 1", "cumsum", [c], np.cumsum(c, axis=1), axis=1)
    case("cumsum flattened", "cumsum", [c], np.cumsum(c), axis=None)

    # Display layout: NumPy's array2string with our prefix and suffix, on i32 tensors (whose
    # element formatting NumPy and TensorModule share: integers right-aligned to one width).
    formats = []
    for shape, start in (((40,), 0), ((2, 3, 4), 0), ((2000,), 0), ((30, 100), 0), ((2, 25), -5),
                         ((2, 3, 4, 5, 10), -600), ((1,), 7)):
        a = (np.arange(int(np.prod(shape))) + start).reshape(shape).astype(np.int32)
        text = np.array2string(a, max_line_width=80, separator=", ", prefix="tensor(",
                               suffix=", i32)", threshold=1000, edgeitems=3)
        formats.append({"input": entry(a), "maxWidth": 80, "expected": "tensor(" + text + ", i32)"})

    fixtures = {
        "generator": "make_fixtures.py",
        "formats": formats,
        "numpy": np.__version__,
        "cases": cases,
        "random": random_fixtures(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "core.json")
    with open(path, "w") as f:
        json.dump(fixtures, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
