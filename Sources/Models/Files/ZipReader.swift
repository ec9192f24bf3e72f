import CZlib

/// Reads the members of a zip archive held in memory: the end-of-central-directory record
/// (and its zip64 form), the central directory, local headers, stored and deflated data.
/// Every offset and size is checked against the bytes before it is used, inflation stops at
/// a byte limit and at the end of the member's compressed data, and each member's CRC-32 is
/// checked, so a truncated or hostile archive is a `ModelError`, never a crash or a hang.
/// (ZIPFoundation, which writes `.npz` files, crashed or looped forever on such archives when
/// reading them: docs/fuzzing.md.)
struct ZipReader {
    /// One member, as the central directory describes it.
    struct Member {
        /// The path inside the archive.
        let path: String
        /// 0: stored, 8: deflated.
        let method: UInt16
        /// The CRC-32 of the uncompressed bytes.
        let crc: UInt32
        /// Bytes of data in the archive.
        let compressedSize: Int
        /// Bytes once inflated.
        let uncompressedSize: Int
        /// Where the member's local header starts.
        let headerOffset: Int
        /// True for a directory entry (a path ending in `/`).
        var isDirectory: Bool { path.hasSuffix("/") }
    }

    /// The archive's members in central-directory order.
    let members: [Member]
    private let bytes: [UInt8]
    private let name: String

    /// Parses the directory of the archive `bytes`; `name` is the file name used in errors.
    init(_ bytes: [UInt8], name: String) throws(ModelError) {
        self.bytes = bytes
        self.name = name
        var directory = try Self.findDirectory(bytes, name: name)
        var members: [Member] = []
        for _ in 0..<directory.count {
            members.append(try Self.readEntry(bytes, at: &directory.offset, end: directory.end, name: name))
        }
        self.members = members
    }

    /// The uncompressed bytes of `member`; throws when they would pass `limit` bytes.
    func contents(of member: Member, limit: Int) throws(ModelError) -> [UInt8] {
        let header = member.headerOffset
        guard header <= bytes.count - 30, Self.u32(bytes, header) == 0x0403_4B50 else {
            throw failure("member \(member.path) has no local header at byte \(header)")
        }
        let start = header + 30 + Int(Self.u16(bytes, header + 26)) + Int(Self.u16(bytes, header + 28))
        guard start <= bytes.count, member.compressedSize <= bytes.count - start else {
            throw failure("member \(member.path) runs past the end of the file")
        }
        let data = bytes[start..<(start + member.compressedSize)]
        let content: [UInt8]
        switch member.method {
        case 0:
            guard member.compressedSize <= limit else { throw tooBig(member, limit) }
            content = Array(data)
        case 8:
            content = try inflate(data, member: member, limit: limit)
        default:
            throw failure("member \(member.path) uses compression method \(member.method); only stored (0) and deflate (8) are read")
        }
        guard content.count == member.uncompressedSize else {
            throw failure("member \(member.path) holds \(content.count) bytes, its directory entry says \(member.uncompressedSize)")
        }
        let crc = content.withUnsafeBufferPointer { UInt32(crc32_z(0, $0.baseAddress, $0.count)) }
        guard crc == member.crc else { throw failure("member \(member.path) fails its CRC-32 check") }
        return content
    }

    /// Inflates raw deflate `data`, stopping at `limit` output bytes or the data's end.
    private func inflate(_ data: ArraySlice<UInt8>, member: Member, limit: Int) throws(ModelError) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw failure("cannot start inflating member \(member.path)")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var status = Z_OK
        data.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while status == Z_OK, output.count <= limit {
                chunk.withUnsafeMutableBufferPointer { target in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(target.count)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    output.append(contentsOf: target.prefix(target.count - Int(stream.avail_out)))
                }
                // No progress possible, or all input used with room left: the data ends
                // before the deflate stream does.
                if status == Z_BUF_ERROR || (status == Z_OK && stream.avail_in == 0 && stream.avail_out != 0) { break }
            }
        }
        if output.count > limit { throw tooBig(member, limit) }
        guard status == Z_STREAM_END else {
            throw failure("member \(member.path) cannot be extracted (its deflate data is corrupt or truncated)")
        }
        return output
    }

    /// Where the central directory is: its offset, end and entry count, from the
    /// end-of-central-directory record (the last one, as zip readers take it) or its zip64 form.
    private static func findDirectory(_ b: [UInt8], name: String) throws(ModelError) -> (offset: Int, end: Int, count: Int) {
        func failure(_ what: String) -> ModelError { ModelError("\(name): not a readable zip archive (\(what))", kind: .io) }
        guard b.count >= 22,
              let record = stride(from: b.count - 22, through: max(0, b.count - 22 - 0xFFFF), by: -1).first(where: { u32(b, $0) == 0x0605_4B50 })
        else { throw failure("no end-of-central-directory record") }
        var count = Int(u16(b, record + 10))
        var size = Int(u32(b, record + 12))
        var offset = Int(u32(b, record + 16))
        if (count == 0xFFFF || size == 0xFFFF_FFFF || offset == 0xFFFF_FFFF), record >= 20, u32(b, record - 20) == 0x0706_4B50 {
            let zip64 = u64(b, record - 20 + 8)
            guard b.count >= 56, zip64 <= UInt64(b.count - 56), u32(b, Int(zip64)) == 0x0606_4B50 else {
                throw failure("bad zip64 end-of-central-directory locator")
            }
            let at = Int(zip64)
            guard u64(b, at + 32) <= UInt64(b.count), u64(b, at + 40) <= UInt64(b.count), u64(b, at + 48) <= UInt64(b.count) else {
                throw failure("zip64 directory sizes exceed the file")
            }
            (count, size, offset) = (Int(u64(b, at + 32)), Int(u64(b, at + 40)), Int(u64(b, at + 48)))
        }
        guard offset <= b.count, size <= b.count - offset else { throw failure("the central directory lies outside the file") }
        // An entry takes at least 46 bytes: a count the directory cannot hold is a lie.
        guard count <= size / 46 else { throw failure("\(count) entries cannot fit a \(size)-byte central directory") }
        return (offset, offset + size, count)
    }

    /// Reads the central-directory entry at `offset` (moved past it), within `end`.
    private static func readEntry(_ b: [UInt8], at offset: inout Int, end: Int, name: String) throws(ModelError) -> Member {
        func failure(_ what: String) -> ModelError { ModelError("\(name): not a readable zip archive (\(what))", kind: .io) }
        let at = offset
        guard at <= end - 46, u32(b, at) == 0x0201_4B50 else { throw failure("bad central directory entry at byte \(at)") }
        let nameLength = Int(u16(b, at + 28)), extraLength = Int(u16(b, at + 30)), commentLength = Int(u16(b, at + 32))
        guard nameLength + extraLength + commentLength <= end - at - 46 else {
            throw failure("central directory entry at byte \(at) runs past the directory")
        }
        if u16(b, at + 8) & 1 != 0 { throw failure("encrypted members are not supported") }
        var compressed = UInt64(u32(b, at + 20)), uncompressed = UInt64(u32(b, at + 24)), header = UInt64(u32(b, at + 42))
        // The zip64 extra field (id 1) holds, in this order, the fields saturated at 0xFFFFFFFF.
        var extra = at + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = u16(b, extra), length = Int(u16(b, extra + 2))
            guard length <= extraEnd - extra - 4 else { throw failure("bad extra field in entry at byte \(at)") }
            if id == 1 {
                var field = extra + 4
                func next() throws(ModelError) -> UInt64 {
                    guard field + 8 <= extra + 4 + length else { throw failure("short zip64 extra field in entry at byte \(at)") }
                    defer { field += 8 }
                    return u64(b, field)
                }
                if uncompressed == 0xFFFF_FFFF { uncompressed = try next() }
                if compressed == 0xFFFF_FFFF { compressed = try next() }
                if header == 0xFFFF_FFFF { header = try next() }
            }
            extra += 4 + length
        }
        // Sizes beyond the file are rejected here for the compressed size and when read for
        // the uncompressed one; both fit in Int after this clamp.
        let limit = UInt64(Int.max)
        offset = extraEnd + commentLength
        return Member(path: String(decoding: b[(at + 46)..<(at + 46 + nameLength)], as: UTF8.self),
                      method: u16(b, at + 10), crc: u32(b, at + 16),
                      compressedSize: Int(min(compressed, limit)), uncompressedSize: Int(min(uncompressed, limit)),
                      headerOffset: Int(min(header, limit)))
    }

    private func failure(_ what: String) -> ModelError {
        ModelError("\(name): \(what)", kind: .io)
    }

    private func tooBig(_ member: Member, _ limit: Int) -> ModelError {
        ModelError("\(name): member \(member.path) expands past the \(limit.grouped)-byte limit for an archive (a zip bomb?)", kind: .io)
    }

    private static func u16(_ b: [UInt8], _ i: Int) -> UInt16 { UInt16(b[i]) | UInt16(b[i + 1]) << 8 }
    private static func u32(_ b: [UInt8], _ i: Int) -> UInt32 { UInt32(u16(b, i)) | UInt32(u16(b, i + 2)) << 16 }
    private static func u64(_ b: [UInt8], _ i: Int) -> UInt64 { UInt64(u32(b, i)) | UInt64(u32(b, i + 4)) << 32 }
}
