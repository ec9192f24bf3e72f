import Foundation
import TensorModule

/// The safetensors format (Hugging Face): an 8-byte little-endian header length `N`, `N`
/// bytes of JSON `{"name": {"dtype", "shape", "data_offsets": [begin, end]}, …,
/// "__metadata__": {string: string}}`, then the data buffer that the offsets index.
///
/// Reading checks everything against the file before allocating: the header length, the
/// JSON, every dtype and shape, `end − begin` against the shape, offsets inside the buffer
/// and no two tensors overlapping. Read dtypes: F32, F16, BF16, F64 (as f32), I32, I64 (as
/// i32, an error outside its range), U8 (as i32), BOOL. Tensors come back in buffer order.
public enum Safetensors {
    /// The contents of a safetensors file: named tensors in order, and the metadata.
    public struct File: Sendable {
        /// Tensors in the order they are stored.
        public var tensors: [(name: String, tensor: Tensor)]
        /// The `__metadata__` strings.
        public var metadata: [String: String]

        /// A file's contents.
        public init(tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:]) {
            self.tensors = tensors
            self.metadata = metadata
        }
    }

    /// The largest header accepted (the reference implementation's limit).
    static let maxHeaderBytes = 100_000_000

    /// True when `bytes` plausibly start a safetensors file: a header length that fits and
    /// JSON starting with `{`.
    public static func looksLike(_ bytes: Data) -> Bool {
        guard bytes.count >= 10 else { return false }
        let n = readUInt64(bytes, at: 0)
        return n >= 2 && n <= UInt64(min(bytes.count - 8, maxHeaderBytes)) && bytes[bytes.startIndex + 8] == UInt8(ascii: "{")
    }

    /// Parses a safetensors file; `name` is the file name used in errors.
    public static func read(_ bytes: Data, name: String) throws(ModelError) -> File {
        func bad(_ what: String, _ offset: Int, _ detail: String) -> ModelError {
            ModelError.at(name, what, byte: offset, detail)
        }
        guard bytes.count >= 8 else {
            throw bad("truncated", bytes.count, "the header length needs 8 bytes, file has \(bytes.count)")
        }
        let declared = readUInt64(bytes, at: 0)
        guard declared <= UInt64(bytes.count - 8) else {
            throw bad("truncated", 8, "header length \(declared) runs past the end of the file (\(bytes.count.grouped) bytes)")
        }
        guard declared <= UInt64(maxHeaderBytes) else {
            throw bad("bad header", 0, "header length \(declared) is over the \(maxHeaderBytes.grouped)-byte limit")
        }
        let headerLength = Int(declared)
        let start = bytes.startIndex
        let headerBytes = bytes[(start + 8)..<(start + 8 + headerLength)]
        guard let json = try? JSONSerialization.jsonObject(with: Data(headerBytes)), let header = json as? [String: Any] else {
            throw bad("bad header", 8, "the header is not a JSON object")
        }
        let dataStart = 8 + headerLength
        let bufferSize = bytes.count - dataStart
        var metadata: [String: String] = [:]
        var entries: [(name: String, dtype: String, shape: [Int], begin: Int, end: Int)] = []
        for (key, value) in header {
            if key == "__metadata__" {
                guard let fields = value as? [String: Any] else { throw bad("bad header", 8, "__metadata__ must be an object") }
                for (k, v) in fields {
                    guard let text = v as? String else { throw bad("bad header", 8, "__metadata__ value `\(k)` must be a string") }
                    metadata[k] = text
                }
                continue
            }
            guard let info = value as? [String: Any], let dtype = info["dtype"] as? String,
                  let shapeAny = info["shape"] as? [Any], let offsetsAny = info["data_offsets"] as? [Any] else {
                throw bad("bad header", 8, "tensor `\(key)` needs dtype, shape and data_offsets")
            }
            guard let width = elementBytes[dtype] else {
                throw bad("unknown dtype", 8, "tensor `\(key)` has dtype \(dtype); supported: \(elementBytes.keys.sorted().joined(separator: ", "))")
            }
            let shape = shapeAny.compactMap(exactInt)
            let offsets = offsetsAny.compactMap(exactInt)
            guard shape.count == shapeAny.count, shape.allSatisfy({ $0 >= 0 }) else {
                throw bad("bad header", 8, "tensor `\(key)` has a shape that is not a list of non-negative integers")
            }
            guard offsets.count == 2, offsetsAny.count == 2, offsets[0] >= 0, offsets[0] <= offsets[1] else {
                throw bad("bad header", 8, "tensor `\(key)` needs data_offsets [begin, end] with 0 ≤ begin ≤ end")
            }
            let count = Tensor.elementCount(shape)
            let (size, overflow) = count.multipliedReportingOverflow(by: width)
            guard !overflow, count != Int.max, size == offsets[1] - offsets[0] else {
                throw bad("bad header", 8, "tensor `\(key)` \(dtype) \(shape) needs \(overflow || count == Int.max ? "too many" : size.grouped) bytes, data_offsets span \((offsets[1] - offsets[0]).grouped)")
            }
            guard offsets[1] <= bufferSize else {
                throw bad("offset out of range", dataStart + offsets[0], "tensor `\(key)` ends at data byte \(offsets[1].grouped), the data buffer has \(bufferSize.grouped) bytes")
            }
            entries.append((key, dtype, shape, offsets[0], offsets[1]))
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        for (a, b) in zip(entries, entries.dropFirst()) where b.begin < a.end {
            throw bad("overlapping tensors", dataStart + b.begin, "`\(b.name)` starts at data byte \(b.begin.grouped), inside `\(a.name)` (\(a.begin.grouped)..<\(a.end.grouped))")
        }
        var tensors: [(name: String, tensor: Tensor)] = []
        for e in entries {
            let tensor = try decode(bytes, from: start + dataStart + e.begin, dtype: e.dtype, shape: e.shape) { index in
                bad("value out of range", dataStart + e.begin + 8 * index, "tensor `\(e.name)` element \(index) does not fit i32")
            }
            tensors.append((e.name, tensor))
        }
        return File(tensors: tensors, metadata: metadata)
    }

    /// The bytes of a safetensors file holding `file`'s tensors in order (f32 as F32, i32 as
    /// I32, bool as BOOL) with its metadata; the header is padded with spaces to 8 bytes.
    public static func encode(_ file: File) -> [UInt8] {
        var parts: [String] = []
        if !file.metadata.isEmpty {
            let fields = file.metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(file.metadata[$0] ?? ""))" }
            parts.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        for (name, t) in file.tensors {
            let size = t.count * (t.dtype == .bool ? 1 : 4)
            let dtype = t.dtype == .f32 ? "F32" : t.dtype == .i32 ? "I32" : "BOOL"
            let shape = t.shape.map(String.init).joined(separator: ",")
            parts.append("\(jsonString(name)):{\"dtype\":\"\(dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        var header = Array("{\(parts.joined(separator: ","))}".utf8)
        header += [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        for k in 0..<8 { out.append(UInt8((UInt64(header.count) >> (8 * UInt64(k))) & 0xFF)) }
        out += header
        for (_, t) in file.tensors { appendLittleEndian(t, to: &out) }
        return out
    }

    /// Bytes per element of each readable dtype.
    static let elementBytes = ["F32": 4, "F16": 2, "BF16": 2, "F64": 8, "I32": 4, "I64": 8, "U8": 1, "BOOL": 1]

    /// A JSON number that is an exact non-negative-or-negative integer, else nil.
    private static func exactInt(_ any: Any) -> Int? {
        // JSON true/false also arrive as NSNumber, with the ObjC type code of a C bool.
        guard let number = any as? NSNumber, !["c", "B"].contains(String(cString: number.objCType)) else { return nil }
        let d = number.doubleValue
        guard d.rounded() == d, abs(d) < 9e15 else { return nil }
        return number.intValue
    }

    /// The tensor of `shape` whose little-endian `dtype` elements start at `offset` (checked).
    private static func decode(_ bytes: Data, from offset: Int, dtype: String, shape: [Int],
                               outOfRange: (Int) -> ModelError) throws(ModelError) -> Tensor {
        let count = Tensor.elementCount(shape)
        var firstOutOfRange: Int?
        let tensor = bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Tensor in
            let base = offset - bytes.startIndex
            func u16(_ i: Int) -> UInt16 { UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: base + 2 * i, as: UInt16.self)) }
            func u32(_ i: Int) -> UInt32 { UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: base + 4 * i, as: UInt32.self)) }
            func u64(_ i: Int) -> UInt64 { UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: base + 8 * i, as: UInt64.self)) }
            switch dtype {
            case "F32": return Tensor(shape: shape, f32: (0..<count).map { Float(bitPattern: u32($0)) })
            case "F16": return Tensor(shape: shape, f32: (0..<count).map { Float(float16Bits: u16($0)) })
            case "BF16": return Tensor(shape: shape, f32: (0..<count).map { Float(bitPattern: UInt32(u16($0)) << 16) })
            case "F64": return Tensor(shape: shape, f32: (0..<count).map { Float(Double(bitPattern: u64($0))) })
            case "I32": return Tensor(shape: shape, i32: (0..<count).map { Int32(bitPattern: u32($0)) })
            case "U8": return Tensor(shape: shape, i32: (0..<count).map { Int32(raw[base + $0]) })
            case "BOOL": return Tensor(shape: shape, bool: (0..<count).map { raw[base + $0] != 0 })
            default:
                return Tensor(shape: shape, i32: (0..<count).map { i in
                    guard let narrow = Int32(exactly: Int64(bitPattern: u64(i))) else {
                        if firstOutOfRange == nil { firstOutOfRange = i }
                        return 0
                    }
                    return narrow
                })
            }
        }
        if let index = firstOutOfRange { throw outOfRange(index) }
        return tensor
    }

    private static func readUInt64(_ bytes: Data, at offset: Int) -> UInt64 {
        var value: UInt64 = 0
        for k in 0..<8 { value |= UInt64(bytes[bytes.startIndex + offset + k]) << (8 * UInt64(k)) }
        return value
    }
}

extension Float {
    /// The value of an IEEE half-precision bit pattern, converted exactly.
    init(float16Bits bits: UInt16) {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0x1F {
            self = Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        } else if exponent == 0 {
            let magnitude = Float(mantissa) * 0x1p-24
            self = sign == 0 ? magnitude : -magnitude
        } else {
            self = Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
        }
    }
}

/// Appends `t`'s elements little-endian (f32 and i32 as 4 bytes, bool as one byte 0/1).
func appendLittleEndian(_ t: Tensor, to out: inout [UInt8]) {
    func put(_ v: UInt32) {
        out.append(UInt8(v & 0xFF)); out.append(UInt8((v >> 8) & 0xFF))
        out.append(UInt8((v >> 16) & 0xFF)); out.append(UInt8(v >> 24))
    }
    switch t.data {
    case .f32(let values): for v in values { put(v.bitPattern) }
    case .i32(let values): for v in values { put(UInt32(bitPattern: v)) }
    case .bool(let values): out += values.map { $0 ? 1 : 0 }
    }
}

/// `text` as a JSON string literal.
func jsonString(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
        default: out.unicodeScalars.append(scalar)
        }
    }
    return out + "\""
}
