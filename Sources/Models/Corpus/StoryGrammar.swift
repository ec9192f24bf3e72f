import TensorModule

/// A deterministic generator of short children's stories in the style of TinyStories, the
/// corpus the project's own default model is trained on.
///
/// A story is one paragraph of about ten sentences: an opening that introduces a hero (a
/// girl, a boy, an animal or two friends, with pronouns he, she or they that the rest of the
/// story agrees with), what the hero likes, then one of six plots (a stuck toy, a lost toy,
/// sharing, a fear, a hurt animal, a kitchen mistake) with dialogue in quotes, a resolution
/// and a moral or ending line. The words come from `StoryVocabulary` (a few hundred words).
///
/// All randomness comes from one `RandomStream`, so the same seed gives the same stories,
/// byte for byte, on every machine.
public enum StoryGrammar {
    /// `count` stories drawn from one stream seeded with `seed`; each is a single line of
    /// text without a trailing newline.
    public static func stories(count: Int, seed: UInt64) -> [String] {
        precondition(count >= 0, "stories(count:) needs a non-negative count")
        var writer = StoryWriter(seed: seed)
        return (0..<count).map { _ in writer.story() }
    }
}

/// Writes stories one sentence at a time from a seeded stream (see `StoryGrammar`).
struct StoryWriter {
    private var stream: RandomStream
    private var sentences: [String] = []

    /// A writer drawing from a stream seeded with `seed`.
    init(seed: UInt64) { stream = RandomStream(seed: seed) }

    /// The next story.
    mutating func story() -> String {
        sentences = []
        let cast = introduce()
        switch number(below: 6) {
        case 0: stuckToy(cast)
        case 1: lostToy(cast)
        case 2: sharing(cast)
        case 3: fear(cast)
        case 4: hurtAnimal(cast)
        default: kitchenMistake(cast)
        }
        return sentences.joined(separator: " ")
    }

    /// A uniform integer in `0..<bound`.
    mutating func number(below bound: Int) -> Int { Int(stream.nextInt(below: UInt64(bound))) }

    /// One of `options`, uniformly.
    mutating func pick<T>(_ options: [T]) -> T { options[number(below: options.count)] }

    /// True with probability `p`.
    mutating func chance(_ p: Double) -> Bool { stream.nextDouble() < p }

    /// Appends a sentence, its first letter capitalised.
    mutating func say(_ sentence: String) { sentences.append(Self.capitalizingSentences(sentence)) }

    /// Appends a line of dialogue spoken by `speaker`, in one of two shapes:
    /// `"Line," said Tom.` or `Tom said, "Line."` (`asked` for questions).
    mutating func quote(_ line: String, by speaker: StoryCharacter) {
        let line = Self.capitalizingSentences(line)
        let verb = line.hasSuffix("?") ? "asked" : line.hasSuffix("!") ? pick(["said", "shouted"]) : "said"
        if chance(0.5) {
            let opening = line.hasSuffix(".") ? line.dropLast() + "," : Substring(line)
            say("\"\(opening)\" \(verb) \(speaker.name).")
        } else {
            say("\(speaker.name) \(verb), \"\(line)\"")
        }
    }

    /// `text` with the first letter of each of its sentences (after `.`, `!` or `?` and a
    /// space) capitalised.
    static func capitalizingSentences(_ text: String) -> String {
        var out = ""
        var capitalizeNext = true
        var previous: Character = " "
        for c in text {
            if c.isLetter && capitalizeNext {
                out += c.uppercased()
                capitalizeNext = false
            } else {
                out.append(c)
                if c.isLetter { capitalizeNext = false }
            }
            if c == " " && ".!?".contains(previous) { capitalizeNext = true }
            previous = c
        }
        return out
    }

    /// A new named child who is not `other`: a girl or a boy.
    mutating func child(besides other: StoryCharacter?) -> (character: StoryCharacter, kind: String) {
        let isGirl = chance(0.5)
        let names = (isGirl ? StoryVocabulary.girlNames : StoryVocabulary.boyNames)
            .filter { name in !(other?.name.split(separator: " ").contains(Substring(name)) ?? false) }
        let name = pick(names)
        return (StoryCharacter(name: name, address: name, pronouns: isGirl ? .she : .he), isGirl ? "girl" : "boy")
    }
}
