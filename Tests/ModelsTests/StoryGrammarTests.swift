import Testing
@testable import Models

@Suite struct StoryGrammarTests {
    @Test func sameSeedGivesSameStoriesAndOtherSeedsDiffer() {
        let a = StoryGrammar.stories(count: 50, seed: 3)
        #expect(a == StoryGrammar.stories(count: 50, seed: 3))
        #expect(a != StoryGrammar.stories(count: 50, seed: 4))
        // A longer run starts with the shorter one: one stream, story after story.
        #expect(Array(StoryGrammar.stories(count: 80, seed: 3).prefix(50)) == a)
        #expect(StoryGrammar.stories(count: 0, seed: 3).isEmpty)
    }

    @Test func seedZeroStartsWithAFixedStory() {
        // Bit-identical on every machine: the first story of seed 0 is pinned.
        let first = StoryGrammar.stories(count: 1, seed: 0)[0]
        #expect(first.hasPrefix("Once upon a time, there"))
        #expect(first == StoryGrammarTests.pinnedFirstStory, "\(first)")
    }

    @Test func storiesAreOneLineOfSeveralCapitalisedSentences() {
        for story in StoryGrammar.stories(count: 300, seed: 1) {
            #expect(!story.contains("\n"))
            #expect(story.hasPrefix("Once upon a time") || story.hasPrefix("There once was"))
            let sentences = story.components(separatedBy: ". ").count
            #expect(sentences >= 5, "\(story)")
            #expect(story.last.map { ".!\"".contains($0) } == true, "\(story)")
            #expect(story.filter { $0 == "\"" }.count % 2 == 0, "unbalanced quotes: \(story)")
            #expect(!story.contains(". a ") && !story.contains(". the ") && !story.contains("! my "), "\(story)")
        }
    }

    @Test func vocabularyHasAFewHundredWords() {
        let text = StoryGrammar.stories(count: 2000, seed: 2).joined(separator: " ")
        let words = Set(text.split { !$0.isLetter && $0 != "'" }.map { $0.lowercased() })
        #expect(words.count >= 200 && words.count <= 600, "\(words.count) distinct words")
    }

    @Test func pronounsAgreeWithTheHero() {
        for story in StoryGrammar.stories(count: 400, seed: 5) {
            if story.hasPrefix("Once upon a time, there were two friends") {
                // A pair is "they": never "Tom and Mia was", and they speak as "we".
                #expect(!story.contains(" and \(StoryGrammarTests.name(in: story)) was "), "\(story)")
            }
            #expect(!story.contains("they was") && !story.contains("They was"), "\(story)")
            #expect(!story.contains("he were") && !story.contains("She were"), "\(story)")
        }
    }

    @Test func everyPlotAppears() {
        let text = StoryGrammar.stories(count: 200, seed: 9).joined(separator: "\n")
        for marker in ["got stuck", "could not find", "Can I play with your", "afraid of", "hurt leg", "big bowl"] {
            #expect(text.contains(marker), "no story with “\(marker)”")
        }
    }

    @Test func sentencesAreCapitalisedAfterStops() {
        #expect(StoryWriter.capitalizingSentences("help! my ball. it is stuck? yes") == "Help! My ball. It is stuck? Yes")
        // A closing quote ends the dialogue, not the sentence: "said" stays lowercase.
        #expect(StoryWriter.capitalizingSentences("\"thank you!\" said Tom.") == "\"Thank you!\" said Tom.")
    }

    /// The second name of a pair opening ("…named Tom and Mia.").
    static func name(in story: String) -> String {
        let opening = story.components(separatedBy: ".")[0]
        return opening.components(separatedBy: " and ").last ?? ""
    }

    /// The first story of seed 0.
    static let pinnedFirstStory = """
        Once upon a time, there were two friends named Ella and Leo. They liked to sing songs and to play by \
        the lake. One day, Ella and Leo went to the lake with their shiny robot. Suddenly, the robot got \
        stuck in a thorny bush. They tried to reach it, but they could not. Ella and Leo were very sad. Ella \
        and Leo asked, "Grandma, can you help us?" "Do not worry. I will help you," said their grandma. \
        Their grandma stood on a chair and got the robot down. "Thank you!" said Ella and Leo. Ella and Leo \
        were so glad. Ella and Leo learned that it is good to ask for help. The end.
        """
}
