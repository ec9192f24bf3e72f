/// The six plots a story can follow after its opening: a problem, dialogue about it, its
/// resolution and an ending line (often a moral).
extension StoryWriter {
    /// The hero's toy gets stuck out of reach and the helper gets it down.
    mutating func stuckToy(_ cast: StoryCast) {
        let hero = cast.hero, me = hero.pronouns
        if chance(0.5) { say(pick(StoryVocabulary.weather)) }
        say("One day, \(hero.name) went to the \(cast.place) with \(me.possessive) \(cast.color) \(cast.toy).")
        say("Suddenly, the \(cast.toy) got stuck \(pick(StoryVocabulary.stuckPlaces)).")
        say("\(me.subject) tried to reach it, but \(me.subject) could not.")
        say("\(hero.name) \(me.was) very sad.")
        if chance(0.5) {
            quote("\(cast.helper.address), can you help \(me == .they ? "us" : "me")?", by: hero)
        } else {
            quote("Help! \(me.firstPossessive) \(cast.toy) is stuck!", by: hero)
        }
        quote("Do not worry. I will help you.", by: cast.helper)
        say("\(cast.helper.name) \(pick(StoryVocabulary.rescues)) and got the \(cast.toy) down.")
        quote("Thank you!", by: hero)
        say("\(hero.name) \(me.was) so \(pick(StoryVocabulary.joys)).")
        end(hero, pick(["\(hero.name) learned that it is good to ask for help.",
                        "From that day on, \(me.subject) kept \(me.possessive) \(cast.toy) safe."]))
    }

    /// The hero loses the toy and a friend helps to find it.
    mutating func lostToy(_ cast: StoryCast) {
        let hero = cast.hero, me = hero.pronouns, friend = child(besides: hero).character
        say("One day, \(hero.name) could not find \(me.possessive) \(cast.toy).")
        say("\(me.subject) looked everywhere, but it was not there.")
        say("\(me.subject) \(me.was) very sad.")
        say("Then \(me.possessive) friend \(friend.name) came by.")
        quote("Why are you sad?", by: friend)
        quote("\(me.firstPerson) lost \(me.firstPossessive) \(cast.color) \(cast.toy).", by: hero)
        quote("I will help you look!", by: friend)
        say("They looked \(pick(StoryVocabulary.hidingPlaces)), and there it was!")
        say("\(hero.name) hugged \(friend.name) and said, \"Thank you, \(friend.address)!\"")
        let friends = me == .they ? "they were all" : "\(hero.name) and \(friend.name) were"
        end(hero, pick(["From that day on, \(friends) best friends.",
                        "\(hero.name) learned that friends help each other."]))
    }

    /// A friend asks to play with the toy; the hero refuses, then shares.
    mutating func sharing(_ cast: StoryCast) {
        let hero = cast.hero, me = hero.pronouns, (friend, kind) = child(besides: hero)
        say("One day, \(hero.name) \(me.was) playing with \(me.possessive) \(cast.toy) \(cast.atPlace).")
        say("A \(pick(StoryVocabulary.heroAdjectives)) \(kind) named \(friend.name) came over.")
        quote("Can I play with your \(cast.toy)?", by: friend)
        quote("No! It is \(me == .they ? "ours" : "mine")!", by: hero)
        say("\(friend.name) \(friend.pronouns.was) sad and walked away.")
        say("\(hero.name) felt bad. \(me.subject) did not like to see \(friend.name) sad.")
        say("\(me.subject) ran to \(friend.pronouns.object) and said, \"Sorry, \(friend.address). You can play with "
            + "\(me.firstPossessive) \(cast.toy).\"")
        say("\(friend.name) smiled, and they played together all day.")
        end(hero, pick(["\(hero.name) learned that sharing is caring.",
                        "Sharing made everyone happy."]))
    }

    /// The hero is afraid of something and the helper gives courage.
    mutating func fear(_ cast: StoryCast) {
        let hero = cast.hero, me = hero.pronouns, (thing, moment, comfort) = pick(StoryVocabulary.fears)
        say("\(hero.name) \(me.was) afraid of \(thing).")
        say(moment)
        say("\(hero.name) started to cry.")
        say("\(cast.helper.name) came and sat next to \(me.object).")
        quote("Why are you crying, \(hero.address)?", by: cast.helper)
        quote("\(me.firstPerson) \(me.firstAm) scared of \(thing).", by: hero)
        say("\(cast.helper.name) smiled and said, \"Do not be scared. \(comfort)\"")
        say("\(hero.name) took a deep breath and felt brave.")
        end(hero, pick(["After that, \(hero.name) \(me.was) not afraid of \(thing) anymore.",
                        "\(hero.name) learned that being brave is easier with someone you love."]))
    }

    /// The hero finds a hurt animal and looks after it.
    mutating func hurtAnimal(_ cast: StoryCast) {
        let hero = cast.hero, me = hero.pronouns, animal = pick(StoryVocabulary.hurtAnimals)
        say("One day, \(hero.name) went to the \(cast.place).")
        say("There, \(me.subject) saw a little \(animal) with a hurt leg.")
        say("The \(animal) could not move.")
        quote("Poor little \(animal). \(me.firstPerson) will help you.", by: hero)
        say("\(me.subject) took the \(animal) home and gave it some water.")
        say("\(cast.helper.name) helped \(me.object) make a soft bed for it.")
        say("Every day, \(hero.name) took care of the \(animal), and soon it was well again.")
        end(hero, pick(["\(hero.name) learned that it is good to be kind to animals.",
                        "The \(animal) came back to play with \(hero.name) every day."]))
    }

    /// The hero makes a mess while cooking and the helper says mistakes are fine.
    mutating func kitchenMistake(_ cast: StoryCast) {
        let hero = cast.hero, me = hero.pronouns, treat = pick(StoryVocabulary.treats)
        say("One day, \(hero.name) wanted to make a \(treat) for \(cast.helper.name).")
        say("\(me.subject) got a big bowl and started to mix.")
        say("Oops! \(me.subject) spilled the flour all over the floor.")
        quote("Oh no! \(me.firstPerson) made a big mess!", by: hero)
        say("\(cast.helper.name) came into the kitchen and laughed.")
        quote("It is okay, \(hero.address). Everyone makes mistakes.", by: cast.helper)
        say("They cleaned up and made the \(treat) together. It was yummy!")
        end(hero, pick(["\(hero.name) learned that it is okay to make mistakes.",
                        "It was the best \(treat) ever."]))
    }

    /// The ending: `line`, sometimes followed by how the hero felt or "The end."
    private mutating func end(_ hero: StoryCharacter, _ line: String) {
        say(line)
        switch number(below: 3) {
        case 0: say("\(hero.name) \(hero.pronouns.was) \(pick(StoryVocabulary.joys)).")
        case 1: say("The end.")
        default: break
        }
    }
}
