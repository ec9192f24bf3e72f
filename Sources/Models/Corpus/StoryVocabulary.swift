/// The pronouns a story character takes; narration agrees with them.
enum StoryPronouns: Sendable {
    case he, she, they

    /// "he", "she", "they".
    var subject: String {
        switch self {
        case .he: return "he"
        case .she: return "she"
        case .they: return "they"
        }
    }

    /// "him", "her", "them".
    var object: String {
        switch self {
        case .he: return "him"
        case .she: return "her"
        case .they: return "them"
        }
    }

    /// "his", "her", "their".
    var possessive: String {
        switch self {
        case .he: return "his"
        case .she: return "her"
        case .they: return "their"
        }
    }

    /// The past tense of "to be" that agrees: "was" or "were".
    var was: String { self == .they ? "were" : "was" }

    /// The character speaking of itself: "I" or "we".
    var firstPerson: String { self == .they ? "we" : "I" }

    /// The character's own possessive in dialogue: "my" or "our".
    var firstPossessive: String { self == .they ? "our" : "my" }

    /// The present of "to be" after `firstPerson`: "am" or "are".
    var firstAm: String { self == .they ? "are" : "am" }
}

/// A person or animal in a story: how the narration names it, how others address it in
/// dialogue, and its pronouns.
struct StoryCharacter: Sendable {
    /// The narration's name, mid-sentence: "Lily", "Tom and Mia", "her mom".
    var name: String
    /// What others call it in dialogue: "Lily", "Mom".
    var address: String
    /// The pronouns that agree with it.
    var pronouns: StoryPronouns
}

/// The word lists the story grammar draws from. Every list is an array (never a dictionary
/// or set), so a seed picks the same words on every machine.
enum StoryVocabulary {
    /// Names of girls (she).
    static let girlNames = ["Lily", "Mia", "Sue", "Anna", "Emma", "Lucy", "Sara", "Zoe", "Ella", "Amy", "Kim", "Rose"]
    /// Names of boys (he).
    static let boyNames = ["Tom", "Ben", "Max", "Sam", "Jack", "Leo", "Tim", "Joe", "Finn", "Bob", "Jake", "Dan"]
    /// Names of animal heroes.
    static let petNames = ["Spot", "Fluffy", "Buddy", "Coco", "Pip", "Daisy", "Rex", "Bella", "Snowy", "Sunny"]

    /// Animals a hero can be; each is named from `petNames`.
    static let animals = ["dog", "cat", "bunny", "bird", "bear", "frog", "duck", "fox", "mouse", "puppy", "kitten"]
    /// Adjectives for a hero.
    static let heroAdjectives = ["little", "happy", "kind", "curious", "brave", "shy", "small", "silly", "funny", "sweet", "smart"]
    /// Colours of toys.
    static let colors = ["red", "blue", "green", "yellow", "pink", "purple", "orange", "white", "brown", "shiny"]
    /// Toys: what a hero plays with, loses or shares.
    static let toys = ["ball", "kite", "doll", "teddy bear", "toy car", "boat", "drum", "book", "hat", "balloon",
                       "truck", "train", "robot", "puzzle", "shovel"]
    /// Places, and the preposition for being there ("in the park", "at the beach").
    static let places: [(name: String, preposition: String)] = [
        ("park", "in"), ("garden", "in"), ("forest", "in"), ("beach", "at"), ("farm", "on"), ("pond", "by"),
        ("yard", "in"), ("hill", "on"), ("lake", "by"), ("zoo", "at"), ("river", "by"), ("meadow", "in"),
    ]
    /// Things a hero likes to do (base form, after "liked to").
    static let pastimes = ["run and jump", "sing songs", "dance", "draw pictures", "paint", "swim", "read books",
                           "climb trees", "dig in the sand", "pick flowers", "look at the stars", "bake cookies",
                           "play games", "help others", "explore"]
    /// Grown-ups who help, with their pronouns; a story says "her mom", dialogue "Mom".
    static let grownUps: [(name: String, address: String, pronouns: StoryPronouns)] = [
        ("mom", "Mom", .she), ("dad", "Dad", .he), ("grandma", "Grandma", .she), ("grandpa", "Grandpa", .he),
    ]
    /// Places a toy gets stuck out of reach.
    static let stuckPlaces = ["in a tall tree", "on a high branch", "in a thorny bush", "on top of a big rock",
                              "on the roof of a shed"]
    /// Ways a helper gets a stuck toy down.
    static let rescues = ["used a long stick", "climbed up carefully", "stood on a chair", "got a ladder",
                          "jumped very high"]
    /// Places a lost toy turns up.
    static let hidingPlaces = ["under the bed", "behind the door", "in the grass", "under a big leaf", "in the toy box",
                               "next to the tree"]
    /// Things a hero is afraid of, the moment the hero meets one and the comfort a helper gives.
    static let fears: [(thing: String, moment: String, comfort: String)] = [
        ("the dark", "One night, the lights went out.", "The dark is only the night, and the stars are there too."),
        ("the big waves", "One day, the waves at the beach were very big.", "The waves just want to play with you."),
        ("the loud thunder", "One night, there was a big storm.", "The thunder is only the sky making noise."),
        ("the tall slide", "One day, it was time to go down the tall slide.", "The slide is fun when you hold on tight."),
        ("the big dog next door", "One day, the big dog next door came to the gate.",
         "The dog is friendly and wants to say hello."),
    ]
    /// Animals a hero finds hurt.
    static let hurtAnimals = ["bird", "bunny", "kitten", "puppy", "duck", "squirrel", "butterfly"]
    /// Treats a hero makes or shares.
    static let treats = ["cake", "pie", "pizza", "muffin", "cupcake", "birthday cake"]
    /// Feelings at the happy end.
    static let joys = ["happy", "proud", "glad", "excited", "thankful"]
    /// Weather sentences that open a scene.
    static let weather = ["It was a sunny day.", "It was a warm morning.", "It was a windy day.",
                          "It was a cold morning.", "The sun was shining."]
}
