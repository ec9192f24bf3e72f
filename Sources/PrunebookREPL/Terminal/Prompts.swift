/// The two readline prompts, cyan when colour is on. Escape sequences are wrapped in
/// readline's `\001`…`\002` markers so it measures the prompt's width correctly.
struct Prompts {
    /// The prompt for a new input: `prb> `.
    let primary: String
    /// The prompt for a continuation line of an incomplete input: `...> `.
    let continuation: String

    /// The prompts, coloured when `colour` is true.
    init(colour: Bool) {
        func paint(_ text: String) -> String {
            colour ? "\u{1}\u{1B}[36m\u{2}\(text)\u{1}\u{1B}[0m\u{2}" : text
        }
        primary = paint("prb> ")
        continuation = paint("...> ")
    }
}
