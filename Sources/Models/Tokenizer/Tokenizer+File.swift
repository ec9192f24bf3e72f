extension Tokenizer {
    /// The tokenizer in llama2.c's file format (`Tokenizer.load` reads it back).
    public func fileBytes() -> [UInt8] {
        var out: [UInt8] = []
        func put(_ v: UInt32) { for k in 0..<4 { out.append(UInt8((v >> (8 * UInt32(k))) & 0xFF)) } }
        put(UInt32(maxTokenLength))
        for (piece, score) in zip(pieces, scores) {
            put(score.bitPattern)
            put(UInt32(piece.count))
            out += piece
        }
        return out
    }
}
