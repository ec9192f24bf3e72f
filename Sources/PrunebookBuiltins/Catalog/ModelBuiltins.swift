import Foundation
import Models
import PrunebookLanguage
import TensorModule

/// Model builtins: loading and saving LLaMA-family models, tokenizing, running the model
/// (`logits`, `generate`) and measuring it (`perplexity`, `kl_to`). Engine: `Models`.
enum ModelBuiltins {
    static let all: [Builtin] = [loadModel, saveModel, loadTokenizer, tokenize, detokenize, logits, generate, perplexity, klTo]

    static let category = "Models"

    /// The example preamble: stories260K with its tokenizer from the data folder.
    static let stories = "m = load_model(data(\"stories260K.bin\"), tokenizer: data(\"tok512.bin\"))\n"

    /// `load_model(path, tokenizer: nil)`: a runnable model.
    static let loadModel = Builtin(
        name: "load_model", category: category,
        parameters: [.required("path", .string), .optional("tokenizer", .optional(.string), .nilValue)],
        returns: "model",
        summary: "load a LLaMA-family model from a llama2.c checkpoint or a safetensors file",
        doc: "The format is decided by the content: a safetensors header, else a llama2.c legacy (version 0) "
            + "checkpoint, whose size must match its header exactly (llama2.c checkpoints load with norm_eps 1e-5, "
            + "rope_theta 10000, interleaved RoPE, tied embeddings when the header's vocab_size is positive). A "
            + "safetensors model reads its config from the metadata key `config` (as `save_model` writes it), "
            + "else from `config.json` beside the file. The tokenizer is the llama2.c tokenizer file `tokenizer`, "
            + "else the one `save_model` embedded, else `tokenizer.bin` or `tok<vocab_size>.bin` beside the model, "
            + "else none (then `tokenize` and `generate` ask for one). `model.layers[i]` holds the block's "
            + "tensors `rms_att wq wk wv wo rms_ffn w1 w2 w3`, `model.config` the config, `model.masks` the masks "
            + "applied (empty when dense).",
        example: stories + "print(m.config.dim, m.config.n_layers, shape(m.layers[0].w2))\nm",
        output: "64 5 [64, 172]\nmodel(llama: dim 64, 5 layers, heads 8 (kv 4), hidden 172, vocab 512, seq_len 512, 260,032 parameters, tied embeddings)\n"
    ) { args, context in
        let path = try args.string("path")
        let url = context.resolvePath(path)
        let bytes = try ModelFiles.read(url, path: path)
        let name = url.lastPathComponent
        var weights: LlamaWeights
        var tokenizer: Tokenizer?
        if Safetensors.looksLike(bytes) {
            let file = try Safetensors.read(bytes, name: name)
            let configURL = url.deletingLastPathComponent().appendingPathComponent("config.json")
            let configText = file.metadata["config"] == nil
                ? FileManager.default.contents(atPath: configURL.path).map { String(decoding: $0, as: UTF8.self) } : nil
            (weights, tokenizer) = try LlamaModelFile.decode(file, configJSON: configText, name: name)
        } else {
            weights = try LlamaCheckpoint.load([UInt8](bytes), name: name)
        }
        if let tokenizerPath = try args.isNil("tokenizer") ? nil : args.string("tokenizer") {
            tokenizer = try ModelFiles.tokenizer(at: context.resolvePath(tokenizerPath), path: tokenizerPath,
                                                 vocabSize: weights.config.vocabSize)
        } else if tokenizer == nil {
            let folder = url.deletingLastPathComponent()
            for candidate in ["tokenizer.bin", "tok\(weights.config.vocabSize).bin"] {
                let file = folder.appendingPathComponent(candidate)
                if FileManager.default.fileExists(atPath: file.path) {
                    tokenizer = try ModelFiles.tokenizer(at: file, path: candidate, vocabSize: weights.config.vocabSize)
                    break
                }
            }
        }
        return .handle(ModelHandle(weights: weights, tokenizer: tokenizer, masks: Record()))
    }

    /// `save_model(path, model)`: one safetensors file.
    static let saveModel = Builtin(
        name: "save_model", category: category,
        parameters: [.required("path", .string), .required("model", .any)],
        returns: "nil",
        summary: "write a model (weights, config and tokenizer) to one `.safetensors` file, atomically",
        doc: "Tensors `token_embedding`, `rms_final`, `wcls` (untied models only) and "
            + "`layers.{i}.{rms_att, rms_ffn, wq, wk, wv, wo, w1, w2, w3}` in f32; the metadata holds the config "
            + "as JSON under `config` (per-layer widths as lists when layers differ) and the tokenizer, when the "
            + "model has one, as base64 of its llama2.c file under `tokenizer`. The Python `safetensors` "
            + "package and PyTorch read the file; `load_model` reads it back identically. Masks are not saved: "
            + "masked weights are already zero (save `model.masks` with `save` to keep them)."
            + ModelFiles.writeConfinement,
        example: stories + "save_model(\"prunebook-example-model.safetensors\", m)\n"
            + "m2 = load_model(\"prunebook-example-model.safetensors\")\n"
            + "print(all(m2.layers[4].w3 == m.layers[4].w3), generate(m2, \"Once\", 6) == generate(m, \"Once\", 6))",
        output: "true true\n"
    ) { args, context in
        let path = try args.string("path")
        let model = try args.model("model")
        let url = try context.resolveWritePath(path)
        guard url.pathExtension.lowercased() == "safetensors" else {
            throw args.error("path", "`save_model` writes safetensors: use a path ending in .safetensors, got \(path)", kind: .value)
        }
        try ModelFiles.write(LlamaModelFile.encode(model.weights, tokenizer: model.tokenizer), to: url, path: path)
        return .nilValue
    }

    /// `load_tokenizer(path)`: a llama2.c tokenizer file.
    static let loadTokenizer = Builtin(
        name: "load_tokenizer", category: category,
        parameters: [.required("path", .string)],
        returns: "tokenizer",
        summary: "load a llama2.c tokenizer file (`tokenizer.bin`, `tok512.bin`) for `tokenize` and `detokenize`",
        doc: "The file holds an int32 `max_token_length`, then per piece a float32 score, an int32 length and the "
            + "piece's bytes; every piece up to the end of the file is read. A file cut short is an error naming the "
            + "byte offset.",
        example: "t = load_tokenizer(data(\"tok512.bin\"))\nprint(t.vocab_size)\ntokenize(t, \"Once upon a time\")",
        output: "512\ntensor([  1, 403, 407, 261, 378], i32)\n"
    ) { args, context in
        let path = try args.string("path")
        let tokenizer = try ModelFiles.tokenizer(at: context.resolvePath(path), path: path, vocabSize: nil)
        return .handle(TokenizerHandle(tokenizer: tokenizer))
    }

    /// `tokenize(model_or_tokenizer, text, bos: true)`: token ids.
    static let tokenize = Builtin(
        name: "tokenize", category: category,
        parameters: [.required("model_or_tokenizer", .any), .required("text", .string), .optional("bos", .bool, .bool(true))],
        returns: "tensor",
        summary: "the token ids of `text` (1-D i32), llama2.c's SentencePiece-BPE encoding",
        doc: "A non-empty text gets the dummy-prefix space; each UTF-8 code point is its piece or, when the "
            + "vocabulary lacks it, its bytes as byte-fallback ids (byte b → id b + 3); then the adjacent pair "
            + "whose merge has the highest score is merged (leftmost on ties) until none merges. BOS (1) comes "
            + "first unless `bos: false`. Runs in O(n log n), so a whole validation file encodes in well under a "
            + "second.",
        example: stories + "print(tokenize(m, \"Once upon a time\"))\ntokenize(m, \"a\\u{1F600}\", bos: false)",
        output: "tensor([  1, 403, 407, 261, 378], i32)\ntensor([261, 243, 162, 155, 131], i32)\n"
    ) { args, _ in
        let tokenizer = try args.tokenizer("model_or_tokenizer", for: "tokenize")
        let ids = tokenizer.encode(try args.string("text"), bos: try args.bool("bos"))
        return .tensor(Tensor(shape: [ids.count], i32: ids))
    }

    /// `detokenize(model_or_tokenizer, tokens)`: text.
    static let detokenize = Builtin(
        name: "detokenize", category: category,
        parameters: [.required("model_or_tokenizer", .any), .required("tokens", .tensor)],
        returns: "string",
        summary: "the text of token ids (llama2.c decoding: BOS and EOS give no text, one leading space after BOS is dropped)",
        doc: "Byte-fallback pieces `<0xHH>` are raw bytes; bytes that do not form UTF-8 become U+FFFD; ids outside the "
            + "vocabulary give no text.",
        example: stories + "detokenize(m, tokenize(m, \"Once upon a time\"))",
        output: "\"Once upon a time\"\n"
    ) { args, _ in
        let tokenizer = try args.tokenizer("model_or_tokenizer", for: "detokenize")
        return .string(tokenizer.decode(try args.tokens("tokens")))
    }

    /// `logits(model, tokens)`: next-token logits at every position.
    static let logits = Builtin(
        name: "logits", category: category,
        parameters: [.required("model", .any), .required("tokens", .tensor)],
        returns: "tensor",
        summary: "the next-token logits `[len(tokens), vocab]` of a window of at most `seq_len` tokens, from position 0",
        doc: "Row t scores the token after `tokens[t]` given `tokens[0..t]`. The whole window runs at once "
            + "(batched matrix products), from an empty cache.",
        example: stories + "z = logits(m, tokenize(m, \"Once upon a time\"))\nprint(shape(z))\ndetokenize(m, [argmax(z[4])])",
        output: "[5, 512]\n\",\"\n"
    ) { args, _ in
        let model = try args.model("model")
        return .tensor(try LlamaForward.logits(model.weights, tokens: try args.tokens("tokens")))
    }

    /// `generate(model, prompt, n, temperature: 0, seed: nil)`: text continuation.
    static let generate = Builtin(
        name: "generate", category: category,
        parameters: [.required("model", .any), .required("prompt", .string), .required("n", .integer),
                     .optional("temperature", .number, .number(0)), .optional("seed", .optional(.integer), .nilValue)],
        returns: "string",
        summary: "continue `prompt` by up to `n` tokens and return only the generated text",
        doc: "The prompt is tokenized with BOS (an empty prompt starts from BOS alone) and run through the KV "
            + "cache one token at a time. At `temperature` 0 each next token is the argmax (lowest id on ties); "
            + "above 0 it is drawn from softmax(logits / temperature) using `seed`'s fresh stream, or the run's "
            + "stream without `seed`. Generation stops before BOS or EOS, after `n` tokens, or at `seq_len` "
            + "positions. Ctrl-C stops it.",
        example: stories + "generate(m, \"Once upon a time\", 12)",
        output: "\", there was a little girl named Lily. She\"\n"
    ) { args, context in
        let model = try args.model("model")
        let tokenizer = try model.requireTokenizer("generate")
        let n = try args.int("n")
        guard n >= 0 else { throw args.error("n", "`n` must be a non-negative integer, got \(n)", kind: .value) }
        let temperature = try args.number("temperature")
        guard temperature >= 0, temperature.isFinite else {
            throw args.error("temperature", "`temperature` must be a number ≥ 0, got \(formatNumber(temperature))", kind: .value)
        }
        let text = try args.string("prompt")
        let prompt = text.isEmpty ? [Tokenizer.bosID] : tokenizer.encode(text, bos: true)
        let produced = try CreationBuiltins.withStream(args, context) { stream in
            try LlamaForward.generate(model.weights, prompt: prompt, count: n, temperature: temperature, random: &stream) { _ in
                try context.checkInterrupt()
            }
        }
        return .string(tokenizer.decode(produced, after: prompt.last))
    }

    /// `perplexity(model, tokens, window: 256)`: exp of the mean next-token NLL.
    static let perplexity = Builtin(
        name: "perplexity", category: category,
        parameters: [.required("model", .any), .required("tokens", .tensor), .optional("window", .integer, .number(256))],
        returns: "number",
        summary: "the perplexity of a token stream: non-overlapping windows of `window` tokens, each from an empty cache",
        doc: "Inputs `s[i:i+W]`, targets `s[i+1:i+W+1]` for i = 0, W, 2W, …; a last partial window counts when it "
            + "has at least two tokens; every target is scored and ppl = exp(total NLL / scored tokens), the "
            + "protocol of the data README. Windows run in parallel; a progress bar shows on a terminal's stderr, "
            + "and Ctrl-C stops between batches of windows.",
        example: stories + "text = load(data(\"tinystories_val.txt\"))\n"
            + "s = tokenize(m, join(filter(fn(l) => l != \"\", split(text, \"\\n\")), \"\\n\"), bos: false)\n"
            + "print(len(s))\nformat(perplexity(m, s[0:8193]), \".5f\")",
        output: "388716\n\"3.76082\"\n"
    ) { args, context in
        let model = try args.model("model")
        let tokens = try args.tokens("tokens")
        let window = try args.int("window")
        let result = try ProgressBar.reporting("perplexity", unit: "windows", context) { progress in
            try LlamaForward.perplexity(model.weights, stream: tokens, window: window, progress: progress)
        }
        return .number(result.ppl)
    }

    /// `kl_to(model, reference_model, tokens, window: 256)`: mean KL to a reference.
    static let klTo = Builtin(
        name: "kl_to", category: category,
        parameters: [.required("model", .any), .required("reference_model", .any), .required("tokens", .tensor),
                     .optional("window", .integer, .number(256))],
        returns: "number",
        summary: "the mean per-token KL(reference ‖ model) in nats of the next-token distributions over `tokens`",
        doc: "`tokens` is cut into non-overlapping windows of `window` tokens (the last may be shorter), each run "
            + "from an empty cache by both models; every position's KL divergence of the model's next-token "
            + "distribution from the reference's is averaged. 0 for identical models; how far a pruned model "
            + "drifted from the dense one, independent of the text's own entropy.",
        example: stories + "s = tokenize(m, \"Once upon a time, there was a little girl named Lily.\")\n"
            + "print(kl_to(m, m, s))\np = m\np.layers[0].w1 = zeros([172, 64])\nkl_to(p, m, s) > 0",
        output: "0\ntrue\n"
    ) { args, context in
        let model = try args.model("model")
        let reference = try args.model("reference_model")
        let tokens = try args.tokens("tokens"), window = try args.int("window")
        let kl = try ProgressBar.reporting("kl_to", unit: "windows", context) { progress in
            try LlamaForward.klDivergence(model.weights, reference: reference.weights, stream: tokens, window: window,
                                          progress: progress)
        }
        return .number(kl)
    }
}
