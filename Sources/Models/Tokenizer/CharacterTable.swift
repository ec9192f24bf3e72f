/// The distinct characters of a UTF-8 text, grouped as `Tokenizer.encode` groups them (a lead
/// byte and its continuation bytes), ranked most frequent first (ties: lower bytes first), and
/// the text's words as sequences of those ranks, the input of BPE training.
struct CharacterTable {
    /// Each character's bytes, by rank.
    let pieces: [[UInt8]]
    /// A character's bytes packed left-aligned into a `UInt32` (see `forEachCharacter`) → rank.
    private let ranks: [UInt32: Int32]

    /// Counts and ranks the characters of `utf8`.
    init(_ utf8: [UInt8]) {
        var counts: [UInt32: Int] = [:]
        Self.forEachCharacter(utf8) { key in counts[key, default: 0] += 1 }
        let ordered = counts.sorted { $0.value > $1.value || ($0.value == $1.value && $0.key < $1.key) }.map(\.key)
        var ranks: [UInt32: Int32] = [:]
        for (rank, key) in ordered.enumerated() { ranks[key] = Int32(rank) }
        self.ranks = ranks
        self.pieces = ordered.map(Self.bytes)
    }

    /// The distinct words of `utf8` (the text the table was built from) as character ranks,
    /// in order of first occurrence, with how often each occurs. A word starts at each space
    /// and each `"\n"` is a word of its own.
    func words(_ utf8: [UInt8]) -> (words: [[Int32]], counts: [Int]) {
        var words: [[Int32]] = []
        var counts: [Int] = []
        var index: [[Int32]: Int] = [:]
        var current: [Int32] = []
        func flush() {
            guard !current.isEmpty else { return }
            if let i = index[current] {
                counts[i] += 1
            } else {
                index[current] = words.count
                words.append(current)
                counts.append(1)
            }
            current.removeAll(keepingCapacity: true)
        }
        let space = Self.key([UInt8(ascii: " ")]), newline = Self.key([UInt8(ascii: "\n")])
        Self.forEachCharacter(utf8) { key in
            guard let rank = ranks[key] else { preconditionFailure("a character missing from the table") }
            if key == space || key == newline { flush() }
            current.append(rank)
            if key == newline { flush() }
        }
        flush()
        return (words, counts)
    }

    /// Calls `body` with each character of `utf8` (a lead byte and up to three continuation
    /// bytes) packed into a key: its bytes big-endian from the top byte, so keys order as
    /// the bytes do.
    private static func forEachCharacter(_ utf8: [UInt8], _ body: (UInt32) -> Void) {
        var start = 0
        while start < utf8.count {
            var end = start + 1
            while end < utf8.count && end - start < 4 && utf8[end] & 0xC0 == 0x80 { end += 1 }
            body(key(utf8[start..<end]))
            start = end
        }
    }

    /// The key of one character's bytes (one to four).
    private static func key<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var key: UInt32 = 0
        for byte in bytes { key = key << 8 | UInt32(byte) }
        return key << (8 * UInt32(4 - bytes.count))
    }

    /// The bytes of a key: its non-zero top bytes (UTF-8 has no zero byte inside a character).
    private static func bytes(_ key: UInt32) -> [UInt8] {
        var out: [UInt8] = []
        for shift in stride(from: 24, through: 0, by: -8) {
            let byte = UInt8((key >> UInt32(shift)) & 0xFF)
            if byte == 0 && !out.isEmpty { break }
            out.append(byte)
        }
        return out
    }
}
