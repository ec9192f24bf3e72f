import Models
import PrunebookLanguage

/// Builtins for a model the project makes itself: generating a story corpus, training and
/// saving a tokenizer on it, and initialising a model with random weights (trained by
/// `train`). Engine: `Models` (`StoryGrammar`, `TokenizerTrainer`, `LlamaWeights.random`).
enum CorpusBuiltins {
    static let all: [Builtin] = [storyCorpus, trainTokenizer, saveTokenizer, initModel]

    static let category = "Models"

    /// The most stories one `story_corpus` call makes (about 60 MB of text).
    static let maxStories = 100_000

    /// `story_corpus(count, seed: 0)`: generated children's stories.
    static let storyCorpus = Builtin(
        name: "story_corpus", category: category,
        parameters: [.required("count", .integer), .optional("seed", .integer, .number(0))],
        returns: "string",
        summary: "`count` generated children's stories (TinyStories-like), separated by a blank line",
        doc: "Each story is one paragraph of about ten sentences on one line: a hero (a girl, a boy, an animal or two "
            + "friends) with pronouns the story keeps to, what the hero likes, one of six plots (a stuck toy, a lost "
            + "toy, sharing, a fear, a hurt animal, a kitchen mistake) with quoted dialogue, a resolution and a moral "
            + "or ending line, from a few hundred words. Stories are joined by `\"\\n\\n\"`, so "
            + "`split(text, \"\\n\\n\")` gives them back. The same `seed` gives the same text on every machine, and a "
            + "larger `count` extends a smaller one. At most 100,000 stories (about 60 MB) per call.",
        example: "s = story_corpus(3, seed: 0)\nstories = split(s, \"\\n\\n\")\n"
            + "print(len(stories), split(stories[1], \". \")[0])\nstory_corpus(3) == s",
        output: "3 There once was a smart boy named Dan who lived near the beach\ntrue\n"
    ) { args, _ in
        let count = try args.int("count"), seed = try args.int("seed")
        guard count >= 0, count <= maxStories else {
            throw args.error("count", "`count` must be an integer in 0...\(maxStories.grouped), got \(count)", kind: .value)
        }
        guard seed >= 0 else { throw args.error("seed", "`seed` must be a non-negative integer, got \(seed)", kind: .value) }
        return .string(StoryGrammar.stories(count: count, seed: UInt64(seed)).joined(separator: "\n\n"))
    }

    /// `train_tokenizer(text, vocab_size)`: a BPE vocabulary learned from `text`.
    static let trainTokenizer = Builtin(
        name: "train_tokenizer", category: category,
        parameters: [.required("text", .string), .required("vocab_size", .integer)],
        returns: "tokenizer",
        summary: "train a SentencePiece-style BPE tokenizer of exactly `vocab_size` pieces on `text`, in llama2.c's layout",
        doc: "Pieces: 0 `<unk>`, 1 BOS, 2 EOS, 3…258 the byte-fallback pieces `<0x00>`…`<0xFF>`, then the merges "
            + "in the order learned (scores 0, −1, −2, …), then every character of the text, most frequent first, as "
            + "stories260K's `tok512.bin` is laid out, so `tokenize` replays the merges and any text (even characters "
            + "never seen) round-trips through `detokenize`. The text is seen with `tokenize`'s dummy-prefix space "
            + "and split into words, each starting at a space, with every newline a word of its own; no piece crosses "
            + "a word, so no piece holds a newline. Each step merges the most frequent adjacent pair (ties: the pair "
            + "of earlier-made pieces); pieces that could spell a byte or special piece are never made. "
            + "Deterministic. An error when `vocab_size` is below 259 plus the text's distinct characters, or more "
            + "than the text can fill (once every word is one piece); the message says which sizes work.",
        example: "text = story_corpus(500)\nt = train_tokenizer(text, 512)\n"
            + "print(t.vocab_size, len(text), len(tokenize(t, text, bos: false)))\n"
            + "detokenize(t, tokenize(t, \"Once upon a time, Zoë\"))",
        output: "512 254086 105446\n\"Once upon a time, Zoë\"\n"
    ) { args, _ in
        let text = try args.string("text"), vocabSize = try args.int("vocab_size")
        do throws(ModelError) {
            return .handle(TokenizerHandle(tokenizer: try TokenizerTrainer.train(text, vocabSize: vocabSize)))
        } catch {
            throw args.error("vocab_size", error.message, kind: .value)
        }
    }

    /// `save_tokenizer(path, tokenizer)`: a llama2.c tokenizer file.
    static let saveTokenizer = Builtin(
        name: "save_tokenizer", category: category,
        parameters: [.required("path", .string), .required("tokenizer", .any)],
        returns: "nil",
        summary: "write a tokenizer (or a model's) as a llama2.c tokenizer file, atomically",
        doc: "The format `load_tokenizer` and llama2.c's `run -z` read: an int32 `max_token_length`, then per piece a "
            + "float32 score, an int32 length and the bytes, little-endian. The file is written to a temporary file "
            + "and renamed, so a reader never sees half of it." + ModelFiles.writeConfinement,
        example: "t = train_tokenizer(story_corpus(100), 400)\nsave_tokenizer(\"prunebook-example-tok.bin\", t)\n"
            + "t2 = load_tokenizer(\"prunebook-example-tok.bin\")\n"
            + "print(t2, all(tokenize(t2, \"Lily was happy.\") == tokenize(t, \"Lily was happy.\")))",
        output: "tokenizer(400 pieces, llama2.c sentencepiece-bpe) true\n"
    ) { args, context in
        let path = try args.string("path")
        let tokenizer = try args.tokenizer("tokenizer", for: "save_tokenizer")
        try ModelFiles.write(tokenizer.fileBytes(), to: try context.resolveWritePath(path), path: path)
        return .nilValue
    }

    /// `init_model(config, seed: 0, tokenizer: nil)`: a model with fresh random weights.
    static let initModel = Builtin(
        name: "init_model", category: category,
        parameters: [.required("config", .record), .optional("seed", .integer, .number(0)),
                     .optional("tokenizer", .any, .nilValue)],
        returns: "model",
        summary: "a LLaMA-family model with freshly initialised weights for `config`, ready for `train`",
        doc: "`config` has the keys `model.config` shows (`save_model`'s): `dim`, `hidden_dim`, `n_layers`, "
            + "`n_heads` and `seq_len` are required, `vocab_size` too unless a tokenizer gives it; the rest default "
            + "to `n_kv_heads` = `n_heads`, `head_size` = dim / n_heads, `norm_eps` 1e-5, `rope_theta` 10000, "
            + "`rope_style` \"interleaved\", `tied_embeddings` true. Weights: every matrix N(0, 0.02²), `wo` and `w2` "
            + "scaled by 1/√(2·n_layers) (GPT-2), RMSNorm gains 1, drawn from one stream seeded with `seed` (the "
            + "same model on every machine). `tokenizer` (from `train_tokenizer` or `load_tokenizer`, or a model's) "
            + "is attached, and its vocabulary size must equal `vocab_size`. Before training, the loss on any text "
            + "is about ln(vocab_size).",
        example: "t = train_tokenizer(story_corpus(500), 512)\n"
            + "m = init_model({dim: 32, hidden_dim: 64, n_layers: 2, n_heads: 4, seq_len: 64}, seed: 1, tokenizer: t)\n"
            + "print(m)\nprint(m.config.head_size, m.config.n_kv_heads, shape(m.layers[0].wk), m.layers[1].rms_ffn[0])\n"
            + "s = tokenize(t, story_corpus(20, seed: 5), bos: false)\n"
            + "print(format(log(perplexity(m, s, window: 64)), \".1f\"), format(log(512), \".1f\"))",
        output: "model(llama: dim 32, 2 layers, heads 4 (kv 4), hidden 64, vocab 512, seq_len 64, 37,024 parameters, "
            + "tied embeddings)\n8 4 [32, 32] 1\n6.2 6.2\n"
    ) { args, context in
        let tokenizer = try args.isNil("tokenizer") ? nil : args.tokenizer("tokenizer", for: "init_model")
        let config = try args.modelConfig("config", vocabSize: tokenizer?.vocabSize)
        if let tokenizer, tokenizer.vocabSize != config.vocabSize {
            throw args.error("tokenizer", "the tokenizer has \(tokenizer.vocabSize) pieces but the config's vocab_size is "
                             + "\(config.vocabSize); make them equal, or leave vocab_size out to take the tokenizer's",
                             kind: .value)
        }
        let seed = try args.int("seed")
        guard seed >= 0 else { throw args.error("seed", "`seed` must be a non-negative integer, got \(seed)", kind: .value) }
        let limit = context.limits.allocationBytes
        guard let count = config.parameterCount, UInt64(count) <= limit / 4 else {
            let count = config.parameterCount.map { "\($0.grouped) parameters" } ?? "more than 2^63 parameters"
            throw args.error("config", "this config has \(count) of 4 bytes each, more than the allocation limit of "
                             + "\(limit) bytes", kind: .limit)
        }
        let weights = try LlamaWeights.random(config: config, seed: UInt64(seed))
        return .handle(ModelHandle(weights: weights, tokenizer: tokenizer, masks: Record()))
    }
}
