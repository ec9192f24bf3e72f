/// Trains a SentencePiece-style BPE vocabulary on a text, laid out like llama2.c's tokenizer
/// files (stories260K's `tok512.bin`), so `Tokenizer.encode` applies the learned merges.
///
/// Layout: 0 `<unk>`, 1 `"\n<s>\n"` (BOS), 2 `"\n</s>\n"` (EOS), 3…258 the byte-fallback
/// pieces `<0x00>`…`<0xFF>` (all score 0), then the merges in the order learned with scores
/// 0, −1, −2, …, then every character of the text, most frequent first, with the scores
/// continuing downwards. Spaces are stored as the raw `" "`, not `▁`. Because merge scores
/// fall strictly in merge order, the encoder's "merge the highest-scoring pair" replays the
/// training merges.
///
/// Training: the text is seen as `encode` sees it, with the dummy-prefix space in front. It is
/// split into words, each starting at a space (a space is the first symbol of the word it
/// leads), and every `"\n"` is a word of its own, so no piece holds a newline or a space after
/// its first byte (the tokenizer can then encode word by word). Words are counted once each;
/// then the most frequent adjacent pair of symbols (ties: the pair whose left symbol, then
/// right symbol, was made earlier; characters count as made in frequency order) is merged,
/// until the vocabulary is full. A merge whose piece already exists reuses it. A piece that
/// is a prefix or suffix of a special or byte-fallback piece (`<0x4`, `nk>`) is never
/// learned, so no pair of pieces can spell one and decoding stays exact.
public enum TokenizerTrainer {
    /// The special and byte-fallback pieces every vocabulary starts with (ids 0…258).
    static let reservedPieces: [[UInt8]] = [Array("<unk>".utf8), Array("\n<s>\n".utf8), Array("\n</s>\n".utf8)]
        + (0..<256).map { byte in Array("<0x".utf8) + hexDigits(UInt8(byte)) + Array(">".utf8) }

    /// The smallest vocabulary that holds every character of `text`: the 259 reserved pieces
    /// plus its distinct code points (the dummy-prefix space included when the text is not empty).
    public static func minimumVocabSize(for text: String) -> Int {
        reservedPieces.count + CharacterTable(prefixed(text)).pieces.count
    }

    /// A tokenizer of exactly `vocabSize` pieces trained on `text`. Throws when `vocabSize`
    /// cannot hold the text's characters, or is more than the text can fill (every word is
    /// already one piece), saying which sizes work.
    public static func train(_ text: String, vocabSize: Int) throws(ModelError) -> Tokenizer {
        let utf8 = prefixed(text)
        let characters = CharacterTable(utf8)
        let minimum = reservedPieces.count + characters.pieces.count
        guard vocabSize >= minimum else {
            throw ModelError("vocab_size \(vocabSize) is too small for this text: it needs \(reservedPieces.count) special and "
                             + "byte pieces + \(characters.pieces.count) distinct characters = \(minimum); use at least \(minimum)")
        }
        var symbols = characters.pieces
        var symbolIDs: [[UInt8]: Int32] = [:]
        for (id, piece) in symbols.enumerated() { symbolIDs[piece] = Int32(id) }
        let (words, counts) = characters.words(utf8)
        var table = BPEWordTable(words: words, counts: counts)
        var merges: [[UInt8]] = []
        var excluded = Set<UInt64>()
        while minimum + merges.count < vocabSize {
            guard let best = table.mostFrequentPair(excluding: excluded) else {
                let most = minimum + merges.count
                throw ModelError("vocab_size \(vocabSize) is more than this text can fill: after \(merges.count) merges every "
                                 + "word is one piece; use at most \(most), or train on more text")
            }
            let piece = symbols[Int(best.left)] + symbols[Int(best.right)]
            if reservedFragments.contains(piece) {
                excluded.insert(BPEWordTable.pairKey(best.left, best.right))
                continue
            }
            let merged: Int32
            if let existing = symbolIDs[piece] {
                merged = existing
            } else {
                merged = Int32(symbols.count)
                symbols.append(piece)
                symbolIDs[piece] = merged
                merges.append(piece)
            }
            table.merge(best.left, best.right, into: merged)
        }
        let pieces = reservedPieces + merges + characters.pieces
        let scores = [Float](repeating: 0, count: reservedPieces.count)
            + (0..<(merges.count + characters.pieces.count)).map { -Float($0) }
        return Tokenizer(pieces: pieces, scores: scores, maxTokenLength: pieces.map(\.count).max() ?? 0)
    }

    /// The UTF-8 of `text` as `encode` sees it: with the dummy-prefix space unless empty.
    private static func prefixed(_ text: String) -> [UInt8] {
        text.isEmpty ? [] : [UInt8(ascii: " ")] + Array(text.utf8)
    }

    /// Every proper prefix and suffix (two bytes or longer) of a reserved piece, and the
    /// pieces themselves: pieces training must not make.
    private static let reservedFragments: Set<[UInt8]> = {
        var fragments = Set<[UInt8]>()
        for piece in reservedPieces {
            fragments.insert(piece)
            for length in 2..<piece.count {
                fragments.insert(Array(piece.prefix(length)))
                fragments.insert(Array(piece.suffix(length)))
            }
        }
        return fragments
    }()

    /// The two uppercase hex digits of `byte`, as llama2.c spells byte pieces.
    private static func hexDigits(_ byte: UInt8) -> [UInt8] {
        let digits = Array("0123456789ABCDEF".utf8)
        return [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]]
    }
}
