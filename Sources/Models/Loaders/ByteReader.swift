/// A little-endian cursor over a file's bytes that reports truncation with the file name,
/// the byte offset and the bytes needed vs the bytes present.
struct ByteReader {
    /// The whole file.
    let bytes: [UInt8]
    /// The file name used in messages.
    let name: String
    /// The next byte to read.
    private(set) var offset = 0

    init(_ bytes: [UInt8], name: String) {
        self.bytes = bytes
        self.name = name
    }

    /// Bytes left after `offset`.
    var remaining: Int { bytes.count - offset }

    /// Throws unless `count` more bytes are present; `what` names the field being read.
    func require(_ count: Int, _ what: String) throws(ModelError) {
        guard count <= remaining else {
            throw ModelError.at(name, "truncated", byte: offset,
                                "\(what) needs \(count.grouped) bytes, file has \(bytes.count.grouped) bytes")
        }
    }

    /// Reads a little-endian 32-bit unsigned pattern.
    mutating func uint32(_ what: String) throws(ModelError) -> UInt32 {
        try require(4, what)
        var value: UInt32 = 0
        for k in 0..<4 { value |= UInt32(bytes[offset + k]) << (8 * UInt32(k)) }
        offset += 4
        return value
    }

    /// Reads a little-endian int32.
    mutating func int32(_ what: String) throws(ModelError) -> Int32 {
        Int32(bitPattern: try uint32(what))
    }

    /// Reads a little-endian float32.
    mutating func float32(_ what: String) throws(ModelError) -> Float {
        Float(bitPattern: try uint32(what))
    }

    /// Reads `count` raw bytes.
    mutating func raw(_ count: Int, _ what: String) throws(ModelError) -> [UInt8] {
        try require(count, what)
        let out = Array(bytes[offset..<(offset + count)])
        offset += count
        return out
    }

    /// Reads `count` little-endian float32 values; the caller has checked the length.
    mutating func floats(_ count: Int) -> [Float] {
        precondition(count >= 0 && count * 4 <= remaining, "floats(\(count)) past the end")
        let start = offset
        let values = [Float](unsafeUninitializedCapacity: count) { out, initialized in
            bytes.withUnsafeBytes { raw in
                for i in 0..<count {
                    let bits = raw.loadUnaligned(fromByteOffset: start + 4 * i, as: UInt32.self)
                    out[i] = Float(bitPattern: UInt32(littleEndian: bits))
                }
            }
            initialized = count
        }
        offset += 4 * count
        return values
    }

    /// Skips `count` bytes; the caller has checked the length.
    mutating func skip(_ count: Int) {
        precondition(count >= 0 && count <= remaining, "skip(\(count)) past the end")
        offset += count
    }
}
