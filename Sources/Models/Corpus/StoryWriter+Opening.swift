/// Who and what a story is about, fixed by its opening so later sentences agree with it.
struct StoryCast {
    /// The main character.
    var hero: StoryCharacter
    /// A grown-up of the hero's: "her mom", addressed as "Mom".
    var helper: StoryCharacter
    /// The hero's favourite toy.
    var toy: String
    /// The toy's colour.
    var color: String
    /// Where the hero likes to be: "park".
    var place: String
    /// Being there: "in the park".
    var atPlace: String
}

extension StoryWriter {
    /// Writes the opening (who the hero is, what the hero likes) and returns the cast.
    mutating func introduce() -> StoryCast {
        let adjective = pick(StoryVocabulary.heroAdjectives)
        let (place, preposition) = pick(StoryVocabulary.places)
        let hero: StoryCharacter
        switch number(below: 5) {
        case 0:
            let first = child(besides: nil).character, second = child(besides: first).character
            hero = StoryCharacter(name: "\(first.name) and \(second.name)", address: "\(first.name) and \(second.name)",
                                  pronouns: .they)
            say("Once upon a time, there were two friends named \(hero.name).")
        case 1:
            let name = pick(StoryVocabulary.petNames), animal = pick(StoryVocabulary.animals)
            hero = StoryCharacter(name: name, address: name, pronouns: chance(0.5) ? .she : .he)
            say("Once upon a time, there was a \(adjective) \(animal) named \(name) who lived near the \(place).")
        default:
            let (character, kind) = child(besides: nil)
            hero = character
            if chance(0.7) {
                say("Once upon a time, there was a \(adjective) \(kind) named \(hero.name).")
            } else {
                say("There once was a \(adjective) \(kind) named \(hero.name) who lived near the \(place).")
            }
        }
        let grownUp = pick(StoryVocabulary.grownUps)
        let helper = StoryCharacter(name: "\(hero.pronouns.possessive) \(grownUp.name)", address: grownUp.address,
                                    pronouns: grownUp.pronouns)
        let cast = StoryCast(hero: hero, helper: helper, toy: pick(StoryVocabulary.toys),
                             color: pick(StoryVocabulary.colors), place: place,
                             atPlace: "\(preposition) the \(place)")
        let they = hero.pronouns
        switch number(below: 3) {
        case 0: say("\(they.subject) liked to \(pick(StoryVocabulary.pastimes)) and to play \(cast.atPlace).")
        case 1: say("\(they.subject) loved \(they.possessive) \(cast.color) \(cast.toy) very much.")
        default: say("Every day, \(they.subject) played with \(they.possessive) \(cast.color) \(cast.toy).")
        }
        return cast
    }
}
