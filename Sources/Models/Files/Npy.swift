import TensorModule

// The NumPy `.npy` format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
// the magic `\x93NUMPY`, a version (1.0, 2.0 or 3.0), the header length (u16 for v1, u32 after),
// a Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }` padded so
// the data starts at a multiple of 64, then the raw elements. Pure functions: no file access.

/// The six bytes every `.npy` file starts with.
public let npyMagic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]

/// True when `bytes` start with the `.npy` magic.
public func hasNpyMagic(_ bytes: [UInt8]) -> Bool {
    bytes.count >= npyMagic.count && Array(bytes.prefix(npyMagic.count)) == npyMagic
}

/// A tensor as a version 1.0 `.npy` file in C order: f32 as `<f4`, i32 as `<i4`, bool as `|b1`.
public func encodeNpy(_ tensor: Tensor) -> [UInt8] {
    let descr: String
    switch tensor.dtype {
    case .f32: descr = "<f4"
    case .i32: descr = "<i4"
    case .bool: descr = "|b1"
    }
    let shapeText: String
    switch tensor.shape.count {
    case 0: shapeText = "()"
    case 1: shapeText = "(\(tensor.shape[0]),)"
    default: shapeText = "(" + tensor.shape.map(String.init).joined(separator: ", ") + ")"
    }
    var header = Array("{'descr': '\(descr)', 'fortran_order': False, 'shape': \(shapeText), }".utf8)
    // Version 1.0 stores the header length in 16 bits; longer headers need version 2.0.
    let version: UInt8 = header.count + 11 + 64 > Int(UInt16.max) ? 2 : 1
    let prefix = version == 1 ? 10 : 12
    let padding = (64 - (prefix + header.count + 1) % 64) % 64
    header += [UInt8](repeating: 0x20, count: padding) + [0x0A]
    var out = npyMagic + [version, 0]
    let length = header.count
    if version == 1 {
        out += [UInt8(length & 0xFF), UInt8(length >> 8)]
    } else {
        out += (0..<4).map { UInt8((length >> (8 * $0)) & 0xFF) }
    }
    out += header
    out.reserveCapacity(out.count + tensor.count * 4)
    switch tensor.data {
    case .f32(let values):
        for v in values { npyAppendLittleEndian(v.bitPattern, to: &out) }
    case .i32(let values):
        for v in values { npyAppendLittleEndian(UInt32(bitPattern: v), to: &out) }
    case .bool(let values):
        out += values.map { $0 ? 1 : 0 }
    }
    return out
}

/// Decodes a `.npy` file (versions 1.0 to 3.0; dtypes f4, f8 → f32, i4, i8 → i32 with a range
/// check, b1 → bool, either byte order; C or Fortran order). `name` is the file name used in
/// error messages, which give the byte offset of the problem.
public func decodeNpy(_ bytes: [UInt8], name: String) throws(ModelError) -> Tensor {
    func malformed(_ message: String) -> ModelError {
        ModelError("malformed .npy file \(name): \(message)", kind: .io)
    }
    guard hasNpyMagic(bytes) else {
        throw malformed("missing the \\x93NUMPY magic at offset 0")
    }
    guard bytes.count >= 10 else {
        throw ModelError("truncated .npy file \(name): the header needs at least 10 bytes, file has \(bytes.count)", kind: .io)
    }
    let major = bytes[6]
    let headerStart: Int
    let headerLength: Int
    switch major {
    case 1:
        headerStart = 10
        headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
    case 2, 3:
        guard bytes.count >= 12 else {
            throw ModelError("truncated .npy file \(name): the version \(major) header needs at least 12 bytes, file has \(bytes.count)", kind: .io)
        }
        headerStart = 12
        headerLength = (0..<4).reduce(0) { $0 | Int(bytes[8 + $1]) << (8 * $1) }
    default:
        throw malformed("unsupported format version \(major).\(bytes[7]) at offset 6 (expected 1, 2 or 3)")
    }
    let dataStart = headerStart + headerLength
    guard dataStart <= bytes.count else {
        throw ModelError("truncated .npy file \(name): header says \(headerLength) bytes of header at offset \(headerStart), file has \(bytes.count - headerStart)", kind: .io)
    }
    // Version 3 headers are UTF-8, earlier ones Latin-1; the keys and values read are ASCII.
    let headerText = String(decoding: bytes[headerStart..<dataStart], as: UTF8.self)
    let header: NpyHeader
    do {
        header = try NpyHeader(parsing: headerText)
    } catch {
        throw malformed("\(error.message) in the header at offset \(headerStart + error.offset)")
    }
    guard let layout = NpyElementLayout(descr: header.descr) else {
        throw malformed("unsupported dtype '\(header.descr)' at offset \(headerStart) (supported: f4, f8, i4, i8, b1)")
    }
    let (count, overflow) = header.shape.reduce((1, false)) { acc, dim in
        let (product, o) = acc.0.multipliedReportingOverflow(by: dim)
        return (product, acc.1 || o)
    }
    let (needed, overflow2) = count.multipliedReportingOverflow(by: layout.size)
    guard !overflow, !overflow2 else {
        throw malformed("shape \(formatShape(header.shape)) is too large at offset \(headerStart)")
    }
    let available = bytes.count - dataStart
    guard needed <= available else {
        throw ModelError("truncated .npy file \(name): header says \(needed) bytes of data at offset \(dataStart), file has \(available)", kind: .io)
    }
    // Fortran order is the C order of the reversed shape, transposed back.
    let fileShape = header.fortranOrder ? Array(header.shape.reversed()) : header.shape
    var tensor: Tensor
    switch layout.kind {
    case .float:
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let offset = dataStart + i * layout.size
            if layout.size == 4 {
                values[i] = Float(bitPattern: UInt32(truncatingIfNeeded: npyReadInteger(bytes, at: offset, size: 4, bigEndian: layout.bigEndian)))
            } else {
                values[i] = Float(Double(bitPattern: npyReadInteger(bytes, at: offset, size: 8, bigEndian: layout.bigEndian)))
            }
        }
        tensor = Tensor(shape: fileShape, f32: values)
    case .signed:
        var values = [Int32](repeating: 0, count: count)
        for i in 0..<count {
            let offset = dataStart + i * layout.size
            let raw = npyReadInteger(bytes, at: offset, size: layout.size, bigEndian: layout.bigEndian)
            let wide = layout.size == 4 ? Int64(Int32(truncatingIfNeeded: raw)) : Int64(bitPattern: raw)
            guard let value = Int32(exactly: wide) else {
                throw ModelError("\(name): element \(i) (\(wide), at offset \(offset)) is outside the i32 range", kind: .io)
            }
            values[i] = value
        }
        tensor = Tensor(shape: fileShape, i32: values)
    case .bool:
        tensor = Tensor(shape: fileShape, bool: bytes[dataStart..<(dataStart + count)].map { $0 != 0 })
    }
    if header.fortranOrder && header.shape.count > 1 {
        do {
            tensor = try tensor.transposed(Array((0..<header.shape.count).reversed()))
        } catch {
            preconditionFailure("reversing the axes of a \(header.shape.count)-d tensor cannot fail: \(error)")
        }
    }
    return tensor
}

/// Appends `value` little-endian.
private func npyAppendLittleEndian(_ value: UInt32, to out: inout [UInt8]) {
    out.append(UInt8(value & 0xFF))
    out.append(UInt8((value >> 8) & 0xFF))
    out.append(UInt8((value >> 16) & 0xFF))
    out.append(UInt8(value >> 24))
}

/// The unsigned integer of `size` bytes at `offset`.
private func npyReadInteger(_ bytes: [UInt8], at offset: Int, size: Int, bigEndian: Bool) -> UInt64 {
    var value: UInt64 = 0
    for j in 0..<size {
        let byte = UInt64(bytes[offset + (bigEndian ? j : size - 1 - j)])
        value = value << 8 | byte
    }
    return value
}

/// How the elements of a supported dtype are stored.
private struct NpyElementLayout {
    enum Kind { case float, signed, bool }
    var kind: Kind
    var size: Int
    var bigEndian: Bool

    /// The layout of a `descr` such as `<f4`, `>i8` or `|b1`; nil when unsupported.
    init?(descr: String) {
        var code = Substring(descr)
        bigEndian = false
        if let first = code.first, "<>|=".contains(first) {
            bigEndian = first == ">"
            code = code.dropFirst()
        }
        switch code {
        case "f4": (kind, size) = (.float, 4)
        case "f8": (kind, size) = (.float, 8)
        case "i4": (kind, size) = (.signed, 4)
        case "i8": (kind, size) = (.signed, 8)
        case "b1", "?": (kind, size) = (.bool, 1)
        default: return nil
        }
    }
}

/// A problem in the header dict, at a character offset within it.
private struct NpyHeaderError: Error {
    var message: String
    var offset: Int
}

/// The three fields of a `.npy` header dict.
private struct NpyHeader {
    var descr = ""
    var fortranOrder = false
    var shape: [Int] = []

    /// Parses the Python dict literal, e.g. `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
    init(parsing text: String) throws(NpyHeaderError) {
        var scanner = NpyScanner(Array(text.utf8))
        var seen: Set<String> = []
        try scanner.expect("{")
        while true {
            scanner.skipSpace()
            if scanner.peek() == UInt8(ascii: "}") { break }
            let keyOffset = scanner.position
            let key = try scanner.string()
            try scanner.expect(":")
            switch key {
            case "descr":
                scanner.skipSpace()
                guard scanner.peek() == UInt8(ascii: "'") || scanner.peek() == UInt8(ascii: "\"") else {
                    throw NpyHeaderError(message: "unsupported dtype (structured dtypes are not supported)", offset: scanner.position)
                }
                descr = try scanner.string()
            case "fortran_order": fortranOrder = try scanner.boolean()
            case "shape": shape = try scanner.tuple()
            default: throw NpyHeaderError(message: "unexpected key '\(key)'", offset: keyOffset)
            }
            seen.insert(key)
            scanner.skipSpace()
            if scanner.peek() == UInt8(ascii: ",") { scanner.position += 1 } else { break }
        }
        try scanner.expect("}")
        for key in ["descr", "fortran_order", "shape"] where !seen.contains(key) {
            throw NpyHeaderError(message: "missing key '\(key)'", offset: 0)
        }
    }
}

/// A cursor over the header's bytes.
private struct NpyScanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    mutating func skipSpace() {
        while let b = peek(), b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D { position += 1 }
    }

    mutating func expect(_ char: Unicode.Scalar) throws(NpyHeaderError) {
        skipSpace()
        guard peek() == UInt8(ascii: char) else {
            throw NpyHeaderError(message: "expected '\(char)'", offset: position)
        }
        position += 1
    }

    /// A quoted string (single or double quotes, no escapes).
    mutating func string() throws(NpyHeaderError) -> String {
        skipSpace()
        guard let quote = peek(), quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"") else {
            throw NpyHeaderError(message: "expected a quoted string", offset: position)
        }
        let start = position + 1
        var end = start
        while end < bytes.count && bytes[end] != quote { end += 1 }
        guard end < bytes.count else {
            throw NpyHeaderError(message: "unterminated string", offset: position)
        }
        position = end + 1
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// `True` or `False`.
    mutating func boolean() throws(NpyHeaderError) -> Bool {
        skipSpace()
        for (word, value) in [("True", true), ("False", false)] {
            let w = Array(word.utf8)
            if position + w.count <= bytes.count && Array(bytes[position..<(position + w.count)]) == w {
                position += w.count
                return value
            }
        }
        throw NpyHeaderError(message: "expected True or False", offset: position)
    }

    /// A tuple of non-negative integers: `()`, `(3,)`, `(2, 3)`.
    mutating func tuple() throws(NpyHeaderError) -> [Int] {
        try expect("(")
        var dims: [Int] = []
        while true {
            skipSpace()
            if peek() == UInt8(ascii: ")") { break }
            let start = position
            var value = 0
            while let b = peek(), b >= 0x30, b <= 0x39 {
                let (shifted, o1) = value.multipliedReportingOverflow(by: 10)
                let (sum, o2) = shifted.addingReportingOverflow(Int(b - 0x30))
                guard !o1, !o2 else { throw NpyHeaderError(message: "dimension too large", offset: start) }
                value = sum
                position += 1
            }
            // NumPy may write Python 2 longs such as `3L`.
            if peek() == UInt8(ascii: "L") { position += 1 }
            guard position > start else {
                throw NpyHeaderError(message: "expected a non-negative integer in the shape", offset: start)
            }
            dims.append(value)
            skipSpace()
            if peek() == UInt8(ascii: ",") { position += 1 } else { break }
        }
        try expect(")")
        return dims
    }
}
