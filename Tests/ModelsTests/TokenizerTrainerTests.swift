import Foundation
import Testing
@testable import Models

@Suite struct TokenizerTrainerTests {
    /// Stories as the `story_corpus` builtin joins them.
    static func corpus(_ count: Int, seed: UInt64) -> String {
        StoryGrammar.stories(count: count, seed: seed).joined(separator: "\n\n")
    }

    /// A 512-piece vocabulary trained on 1,500 stories.
    static let trained = try! TokenizerTrainer.train(corpus(1500, seed: 1), vocabSize: 512)

    @Test func layoutIsLlama2cs() throws {
        let t = Self.trained
        #expect(t.vocabSize == 512)
        #expect(t.pieces[0] == Array("<unk>".utf8))
        #expect(t.pieces[1] == Array("\n<s>\n".utf8))
        #expect(t.pieces[2] == Array("\n</s>\n".utf8))
        #expect(t.pieces[3] == Array("<0x00>".utf8) && t.pieces[13] == Array("<0x0A>".utf8))
        #expect(t.pieces[258] == Array("<0xFF>".utf8))
        #expect(t.scores[0..<259].allSatisfy { $0 == 0 })
        // Merges then characters, scores 0, -1, -2, … strictly falling from id 259 on.
        for id in 259..<511 { #expect(t.scores[id] > t.scores[id + 1]) }
        #expect(t.scores[259] == 0)
        let characters = TokenizerTrainer.minimumVocabSize(for: Self.corpus(1500, seed: 1)) - 259
        let firstCharacter = 512 - characters
        #expect(t.pieces[firstCharacter] == [UInt8(ascii: " ")], "the space is the most frequent character")
        for id in firstCharacter..<512 { #expect(String(decoding: t.pieces[id], as: UTF8.self).unicodeScalars.count == 1) }
        for id in 259..<firstCharacter { #expect(t.pieces[id].count >= 2) }
        #expect(Set(t.pieces).count == 512, "no piece twice")
        #expect(t.maxTokenLength == t.pieces.map(\.count).max())
    }

    @Test func reservedPiecesEqualTok512s() throws {
        guard let bytes = TestData.bytes("tok512.bin") else { return }
        let tok512 = try Tokenizer.load(bytes, name: "tok512.bin")
        #expect(Array(tok512.pieces[0..<259]) == TokenizerTrainer.reservedPieces)
        #expect(Array(Self.trained.scores[0..<259]) == Array(tok512.scores[0..<259]))
    }

    @Test func piecesNeverHoldANewlineOrAnInnerSpace() {
        let t = Self.trained
        #expect(t.spacesOnlyLead)
        for piece in t.pieces[259...] where piece.count > 1 { #expect(!piece.contains(UInt8(ascii: "\n"))) }
    }

    @Test func roundTripsStoriesAndArbitraryText() {
        let t = Self.trained
        let texts = [Self.corpus(40, seed: 77), "", " ", "  two  spaces ", "\n\nnew\nlines\n", "tab\there",
                     "héllo wörld 😀 日本語 e\u{301} \u{0}", "<0x41> <unk> \n<s>\n \n</s>\n <0x4", "Once upon a time"]
        for text in texts {
            #expect(t.decode(t.encode(text, bos: true)) == text, "\(text.debugDescription)")
        }
    }

    @Test func compressesStoriesFarBetterThanBytes() throws {
        // Measured: 0.416 tokens per byte (bytes alone: 1.0; stories260K's tok512, trained on
        // real TinyStories, 0.498 on the same text). 512 pieces leave ~200 merges for ~55
        // characters, too few to make every word of the grammar one piece.
        let text = Self.corpus(200, seed: 99)
        let perByte = Double(Self.trained.encode(text, bos: false).count) / Double(text.utf8.count)
        #expect(perByte < 0.45, "\(perByte) tokens per byte")
        if let bytes = TestData.bytes("tok512.bin") {
            let tok512 = try Tokenizer.load(bytes, name: "tok512.bin")
            let theirs = Double(tok512.encode(text, bos: false).count) / Double(text.utf8.count)
            #expect(perByte < 0.9 * theirs, "\(perByte) vs tok512's \(theirs) tokens per byte")
        }
        // Frequent words are single pieces.
        #expect(Self.trained.encode("He said", bos: false).map { String(decoding: Self.trained.pieces[Int($0)], as: UTF8.self) }
                == [" He", " said"])
    }

    @Test func trainingIsDeterministic() throws {
        let text = Self.corpus(300, seed: 4)
        let a = try TokenizerTrainer.train(text, vocabSize: 400)
        let b = try TokenizerTrainer.train(text, vocabSize: 400)
        #expect(a.pieces == b.pieces && a.scores == b.scores)
        // A larger vocabulary extends the smaller one's merges.
        let c = try TokenizerTrainer.train(text, vocabSize: 420)
        let merges = 400 - TokenizerTrainer.minimumVocabSize(for: text)
        #expect(Array(c.pieces[259..<(259 + merges)]) == Array(a.pieces[259..<(259 + merges)]))
    }

    @Test func mergesTheMostFrequentPairFirst() throws {
        // " a" is the most frequent pair (4), then "ab" inside " ab"… "b b": the dummy prefix
        // makes the text " ab ab ab a".
        let t = try TokenizerTrainer.train("ab ab ab a", vocabSize: 259 + 3 + 2)
        #expect(t.pieces[259] == Array(" a".utf8))
        #expect(t.pieces[260] == Array(" ab".utf8))
        #expect(Array(t.pieces[261...]) == [Array(" ".utf8), Array("a".utf8), Array("b".utf8)])
        #expect(t.encode("ab ab", bos: false) == [260, 260])
    }

    @Test func neverLearnsAPieceThatCouldSpellAByteOrSpecialPiece() throws {
        let text = String(repeating: "<0x41> <unk> ", count: 50)
        // The largest vocabulary the text fills: every allowed merge made.
        var size = TokenizerTrainer.minimumVocabSize(for: text)
        while (try? TokenizerTrainer.train(text, vocabSize: size + 1)) != nil { size += 1 }
        let t = try TokenizerTrainer.train(text, vocabSize: size)
        #expect(size > TokenizerTrainer.minimumVocabSize(for: text) + 5)
        for piece in t.pieces[259...] where piece.count > 1 {
            for reserved in TokenizerTrainer.reservedPieces {
                let spells = reserved.starts(with: piece) || reserved.reversed().starts(with: piece.reversed())
                #expect(!spells, "\(String(decoding: piece, as: UTF8.self).debugDescription)")
            }
        }
        #expect(t.decode(t.encode(text, bos: true)) == text)
    }

    @Test func vocabSizeTooSmallOrTooLargeIsAnError() throws {
        #expect(TokenizerTrainer.minimumVocabSize(for: "abca") == 259 + 4)
        #expect(TokenizerTrainer.minimumVocabSize(for: "") == 259)
        #expect(throws: ModelError.self) { try TokenizerTrainer.train("abca", vocabSize: 262) }
        do {
            _ = try TokenizerTrainer.train("abca", vocabSize: 262)
        } catch {
            #expect(error.message.hasPrefix("vocab_size 262 is too small for this text"), "\(error.message)")
            #expect(error.message.hasSuffix("use at least 263"))
        }
        // " abca" is one word of five characters: four merges make it one piece.
        #expect(try TokenizerTrainer.train("abca", vocabSize: 263 + 4).vocabSize == 267)
        do {
            _ = try TokenizerTrainer.train("abca", vocabSize: 268)
            Issue.record("a vocabulary the text cannot fill must be an error")
        } catch {
            #expect(error.message.hasPrefix("vocab_size 268 is more than this text can fill"), "\(error.message)")
            #expect(error.message.contains("use at most 267"))
        }
    }

    @Test func savedFileLoadsBackIdentically() throws {
        let t = Self.trained
        let again = try Tokenizer.load(t.fileBytes(), name: "trained.bin", vocabSize: 512)
        #expect(again.pieces == t.pieces && again.scores == t.scores && again.maxTokenLength == t.maxTokenLength)
        let text = Self.corpus(5, seed: 8)
        #expect(again.encode(text, bos: true) == t.encode(text, bos: true))
    }

    @Test func trainsOnAMegabyteQuickly() throws {
        let text = Self.corpus(2500, seed: 12)
        #expect(text.utf8.count > 1_000_000)
        let start = Date()
        let t = try TokenizerTrainer.train(text, vocabSize: 1024)
        let seconds = Date().timeIntervalSince(start)
        #expect(t.vocabSize == 1024)
        // Generous for loaded CI machines; a release build takes well under a second.
        #expect(seconds < 20, "training took \(seconds) s")
    }
}
