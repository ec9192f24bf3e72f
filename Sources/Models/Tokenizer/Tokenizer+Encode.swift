extension Tokenizer {
    /// The ids of `text`, exactly as llama2.c run.c's `encode`: BOS (1) first when `bos`;
    /// when the text is non-empty and `dummyPrefix`, a `" "` token; one token per UTF-8 code
    /// point that is a piece, else its bytes as byte-fallback ids (b + 3); then the adjacent
    /// pair whose concatenation is a piece with the highest score is merged (leftmost on
    /// ties) until no pair merges.
    ///
    /// run.c rescans every pair after each merge (quadratic); here candidate pairs sit in a
    /// priority queue ordered by (score, position), which picks the same pair at every step,
    /// so a whole 800 KB text encodes in O(n log n). When no piece has a space after its
    /// first byte (`spacesOnlyLead`, true of llama2.c's vocabularies), no merge can cross the
    /// start of a word, so each word (a run starting at a space) is merged on its own and
    /// repeated words are merged once: the same ids, several times faster.
    public func encode(_ text: String, bos: Bool, dummyPrefix: Bool = true) -> [Int32] {
        var result: [Int32] = bos ? [Tokenizer.bosID] : []
        let utf8 = Array(text.utf8)
        guard !utf8.isEmpty else { return result }
        var tokens: [Int32] = []
        tokens.reserveCapacity(utf8.count + 1)
        if dummyPrefix { tokens.append(id(of: [UInt8(ascii: " ")]) ?? fallbackID(UInt8(ascii: " "))) }
        var start = 0
        while start < utf8.count {
            // A code point: a lead byte and up to three continuation bytes (as run.c groups them).
            var end = start + 1
            while end < utf8.count && end - start < 4 && utf8[end] & 0xC0 == 0x80 { end += 1 }
            if end == start + 1, singleByteIDs[Int(utf8[start])] >= 0 {
                tokens.append(singleByteIDs[Int(utf8[start])])
            } else if let id = id(of: Array(utf8[start..<end])) {
                tokens.append(id)
            } else {
                for byte in utf8[start..<end] { tokens.append(fallbackID(byte)) }
            }
            start = end
        }
        let space = singleByteIDs[Int(UInt8(ascii: " "))]
        guard spacesOnlyLead, space >= 0 else { return result + merged(tokens) }
        var words: [ArraySlice<Int32>: [Int32]] = [:]
        var first = 0
        while first < tokens.count {
            var next = first + 1
            while next < tokens.count && tokens[next] != space { next += 1 }
            let word = tokens[first..<next]
            if let done = words[word] {
                result += done
            } else {
                let done = merged(Array(word))
                words[word] = done
                result += done
            }
            first = next
        }
        return result
    }

    /// The byte-fallback id of `byte` (b + 3), or `<unk>` (0) when the vocabulary is too small.
    private func fallbackID(_ byte: UInt8) -> Int32 {
        let id = Int32(byte) + 3
        return Int(id) < pieces.count ? id : 0
    }

    /// Applies BPE merges to `initial` in run.c's order.
    private func merged(_ initial: [Int32]) -> [Int32] {
        var tokens = initial
        let n = tokens.count
        guard n > 1 else { return tokens }
        var next = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = i + 1 < n ? Int32(i + 1) : -1 }
            count = n
        }
        var previous = [Int32](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = Int32(i - 1) }
            count = n
        }
        // (left id, right id) → merged id or -1; each distinct pair is looked up once.
        var pairCache: [UInt64: Int32] = [:]
        var queue = MergeQueue()
        queue.reserveCapacity(n)

        func offer(_ left: Int32, _ right: Int32) {
            let a = tokens[Int(left)], b = tokens[Int(right)]
            let key = UInt64(UInt32(bitPattern: a)) << 32 | UInt64(UInt32(bitPattern: b))
            let mergedID: Int32
            if let cached = pairCache[key] {
                mergedID = cached
            } else {
                mergedID = id(of: pieces[Int(a)] + pieces[Int(b)]) ?? -1
                pairCache[key] = mergedID
            }
            // run.c only merges pairs scoring above -1e10.
            guard mergedID >= 0, scores[Int(mergedID)] > -1e10 else { return }
            queue.push(MergeQueue.Candidate(score: scores[Int(mergedID)], left: left, right: right,
                                            leftID: a, rightID: b, mergedID: mergedID))
        }

        for i in 0..<(n - 1) { offer(Int32(i), Int32(i + 1)) }
        while let candidate = queue.pop() {
            let left = Int(candidate.left), right = Int(candidate.right)
            // Stale when either side was merged away or changed since the pair was offered.
            guard tokens[left] == candidate.leftID, tokens[right] == candidate.rightID,
                  next[left] == candidate.right else { continue }
            tokens[left] = candidate.mergedID
            tokens[right] = -1
            let after = next[right]
            next[left] = after
            if after >= 0 { previous[Int(after)] = candidate.left }
            if previous[left] >= 0 { offer(previous[left], candidate.left) }
            if after >= 0 { offer(candidate.left, after) }
        }
        var out: [Int32] = []
        var i: Int32 = 0
        while i >= 0 {
            out.append(tokens[Int(i)])
            i = next[Int(i)]
        }
        return out
    }
}
