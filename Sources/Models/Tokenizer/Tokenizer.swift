/// llama2.c's SentencePiece-BPE tokenizer (`tokenizer.bin` / `tok512.bin`): pieces with
/// scores, byte fallback `<0xHH>` at id b + 3, BOS = 1, EOS = 2.
///
/// File format: int32 `max_token_length`, then per token a float32 score, an int32 byte
/// length and that many UTF-8 bytes (no terminator), all little-endian.
public struct Tokenizer: Sendable {
    /// The beginning-of-sequence id.
    public static let bosID: Int32 = 1
    /// The end-of-sequence id.
    public static let eosID: Int32 = 2

    /// The bytes of each piece, by id.
    public let pieces: [[UInt8]]
    /// The merge score of each piece, by id.
    public let scores: [Float]
    /// The longest piece length the file declares.
    public let maxTokenLength: Int
    /// Piece bytes → lowest id with those bytes.
    let ids: [[UInt8]: Int32]
    /// The raw byte of each `<0xHH>` piece, -1 for other pieces.
    let byteValues: [Int16]
    /// The id of the one-byte piece of each byte value, -1 when there is none (the common,
    /// ASCII case of the initial split, without a dictionary lookup).
    let singleByteIDs: [Int32]
    /// True when no piece has a space after its first byte: then no merge joins a token to a
    /// following token that starts with a space, and text can be encoded word by word.
    let spacesOnlyLead: Bool

    /// The number of pieces.
    public var vocabSize: Int { pieces.count }

    /// Parses a llama2.c tokenizer file holding `vocabSize` pieces; `name` is the file name
    /// used in errors. The file must end right after the last piece.
    public static func load(_ bytes: [UInt8], name: String, vocabSize: Int) throws(ModelError) -> Tokenizer {
        try load(bytes, name: name, vocabSize: Optional(vocabSize))
    }

    /// Parses a llama2.c tokenizer file whose piece count is not known in advance: pieces are
    /// read until the end of the file.
    public static func load(_ bytes: [UInt8], name: String) throws(ModelError) -> Tokenizer {
        try load(bytes, name: name, vocabSize: nil)
    }

    private static func load(_ bytes: [UInt8], name: String, vocabSize wanted: Int?) throws(ModelError) -> Tokenizer {
        let vocabSize = wanted ?? Int.max
        guard vocabSize > 0 else {
            throw ModelError("\(name): vocab size must be positive, got \(vocabSize)")
        }
        var reader = ByteReader(bytes, name: name)
        let maxLength = Int(try reader.int32("max_token_length"))
        guard maxLength >= 0 else {
            throw ModelError.at(name, "bad header", byte: 0, "max_token_length must be non-negative, got \(maxLength)")
        }
        // Each piece takes at least 8 bytes: reject a lying vocab size before allocating.
        guard wanted == nil || vocabSize <= reader.remaining / 8 else {
            throw ModelError.at(name, "truncated", byte: bytes.count,
                                "\(vocabSize.grouped) pieces need at least \((4 + 8 * vocabSize).grouped) bytes, file has \(bytes.count.grouped) bytes")
        }
        var pieces: [[UInt8]] = []
        var scores: [Float] = []
        pieces.reserveCapacity(min(vocabSize, reader.remaining / 8))
        scores.reserveCapacity(min(vocabSize, reader.remaining / 8))
        var id = 0
        while id < vocabSize && (wanted != nil || reader.remaining > 0) {
            scores.append(try reader.float32("score of piece \(id)"))
            let lengthOffset = reader.offset
            let length = Int(try reader.int32("length of piece \(id)"))
            guard length >= 0 && length <= maxLength else {
                throw ModelError.at(name, "bad piece", byte: lengthOffset,
                                    "piece \(id) length must be in 0...\(maxLength) (max_token_length), got \(length)")
            }
            pieces.append(try reader.raw(length, "piece \(id)"))
            id += 1
        }
        guard !pieces.isEmpty else {
            throw ModelError.at(name, "truncated", byte: reader.offset, "a tokenizer needs at least one piece")
        }
        guard reader.remaining == 0 else {
            throw ModelError.at(name, "unexpected trailing data", byte: reader.offset,
                                "\(vocabSize.grouped) pieces end at byte \(reader.offset.grouped), file has \(bytes.count.grouped) bytes")
        }
        return Tokenizer(pieces: pieces, scores: scores, maxTokenLength: maxLength)
    }

    /// A tokenizer from its pieces and scores (same count).
    public init(pieces: [[UInt8]], scores: [Float], maxTokenLength: Int) {
        precondition(pieces.count == scores.count, "\(pieces.count) pieces but \(scores.count) scores")
        self.pieces = pieces
        self.scores = scores
        self.maxTokenLength = maxTokenLength
        var ids: [[UInt8]: Int32] = [:]
        for (id, piece) in pieces.enumerated() where ids[piece] == nil { ids[piece] = Int32(id) }
        self.ids = ids
        self.byteValues = pieces.map(Tokenizer.byteValue)
        self.singleByteIDs = (0..<256).map { ids[[UInt8($0)]] ?? -1 }
        self.spacesOnlyLead = pieces.allSatisfy { !$0.dropFirst().contains(UInt8(ascii: " ")) }
    }

    /// The id of a piece, if the vocabulary has it.
    public func id(of piece: [UInt8]) -> Int32? { ids[piece] }

    /// The byte of a `<0xHH>` piece, else -1.
    private static func byteValue(_ piece: [UInt8]) -> Int16 {
        guard piece.count == 6, piece[0] == UInt8(ascii: "<"), piece[1] == UInt8(ascii: "0"),
              piece[2] == UInt8(ascii: "x"), piece[5] == UInt8(ascii: ">"),
              let high = hexDigit(piece[3]), let low = hexDigit(piece[4]) else { return -1 }
        return Int16(high * 16 + low)
    }

    private static func hexDigit(_ c: UInt8) -> Int? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(c - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(c - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }

    /// The bytes `id` stands for when it follows `previous` (run.c `decode`): after BOS one
    /// leading space is dropped, a `<0xHH>` piece is the raw byte, an unknown id is empty.
    public func piece(_ id: Int32, after previous: Int32?) -> [UInt8] {
        guard id >= 0 && Int(id) < pieces.count else { return [] }
        let byte = byteValues[Int(id)]
        if byte >= 0 { return [UInt8(byte)] }
        let bytes = pieces[Int(id)]
        if previous == Tokenizer.bosID, bytes.first == UInt8(ascii: " ") { return Array(bytes.dropFirst()) }
        return bytes
    }

    /// The text of `ids`: their pieces joined as `piece(_:after:)` gives them, the first one
    /// following `start` (the token before them, if any). BOS and EOS produce no text;
    /// invalid UTF-8 becomes U+FFFD.
    public func decode(_ ids: [Int32], after start: Int32? = nil) -> String {
        var out: [UInt8] = []
        var previous: Int32? = start
        for id in ids {
            if id != Tokenizer.bosID && id != Tokenizer.eosID { out += piece(id, after: previous) }
            previous = id
        }
        return String(decoding: out, as: UTF8.self)
    }
}
