/// The state of BPE training: the distinct words of a text as symbol sequences with how often
/// each occurs, and the total count of every adjacent symbol pair, kept up to date as pairs
/// merge. A merge only visits the words that hold the pair, so training costs what the
/// merges change, not the length of the text.
struct BPEWordTable {
    /// Each distinct word's symbols.
    private var words: [[Int32]]
    /// How often each word occurs in the text.
    private let counts: [Int]
    /// Occurrences of each adjacent pair (`pairKey`) over the text; pairs that no longer
    /// occur are removed.
    private var pairCounts: [UInt64: Int] = [:]
    /// Indices of words that held each pair when it was counted (may list a word twice or
    /// one that no longer holds the pair; `merge` checks).
    private var pairWords: [UInt64: [Int32]] = [:]

    /// A table of `words` (symbol sequences) occurring `counts` times.
    init(words: [[Int32]], counts: [Int]) {
        precondition(words.count == counts.count, "\(words.count) words but \(counts.count) counts")
        self.words = words
        self.counts = counts
        for index in words.indices { count(index, sign: 1) }
    }

    /// The key of pair (`left`, `right`): left in the high word, so keys order by left, then right.
    static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    /// The most frequent pair not in `excluded`, ties broken by the lowest left symbol, then
    /// the lowest right symbol; nil when no pair is left.
    func mostFrequentPair(excluding excluded: Set<UInt64>) -> (left: Int32, right: Int32, count: Int)? {
        var best: (key: UInt64, count: Int)?
        for (key, count) in pairCounts where !excluded.contains(key) {
            if let current = best, count < current.count || (count == current.count && key > current.key) { continue }
            best = (key, count)
        }
        return best.map { (Int32(bitPattern: UInt32($0.key >> 32)), Int32(bitPattern: UInt32($0.key & 0xFFFF_FFFF)), $0.count) }
    }

    /// Replaces every occurrence of (`left`, `right`) in every word by `merged`, left to
    /// right without overlaps (so `a a a` becomes `aa a`), and updates the pair counts.
    mutating func merge(_ left: Int32, _ right: Int32, into merged: Int32) {
        let key = Self.pairKey(left, right)
        var holders = pairWords[key] ?? []
        holders.sort()
        var previous: Int32 = -1
        for index in holders where index != previous {
            previous = index
            let word = words[Int(index)]
            var rewritten: [Int32] = []
            rewritten.reserveCapacity(word.count)
            var i = 0
            while i < word.count {
                if i + 1 < word.count && word[i] == left && word[i + 1] == right {
                    rewritten.append(merged)
                    i += 2
                } else {
                    rewritten.append(word[i])
                    i += 1
                }
            }
            guard rewritten.count != word.count else { continue }
            count(Int(index), sign: -1)
            words[Int(index)] = rewritten
            count(Int(index), sign: 1)
        }
        pairCounts[key] = nil
        pairWords[key] = nil
    }

    /// Adds (`sign` 1) or removes (-1) the pairs of word `index`, each weighted by the word's count.
    private mutating func count(_ index: Int, sign: Int) {
        let word = words[index], weight = sign * counts[index]
        guard word.count > 1 else { return }
        for i in 0..<(word.count - 1) {
            let key = Self.pairKey(word[i], word[i + 1])
            let total = pairCounts[key, default: 0] + weight
            if total == 0 {
                pairCounts[key] = nil
                pairWords[key] = nil
            } else {
                pairCounts[key] = total
                if sign > 0 && pairWords[key]?.last != Int32(index) { pairWords[key, default: []].append(Int32(index)) }
            }
        }
    }
}
