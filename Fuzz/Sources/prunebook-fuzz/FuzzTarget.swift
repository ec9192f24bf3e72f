import Foundation

/// The fuzz targets, one per input format; one binary holds them all (one sanitized link),
/// and `PRUNEBOOK_FUZZ_TARGET` picks the one a run exercises.
enum FuzzTarget: String, CaseIterable {
    case parser, interpreter, notebook, safetensors, npy, npz, llama2c, tokenizer

    /// The target named by `PRUNEBOOK_FUZZ_TARGET`; exits with the list of names when it
    /// is unset or unknown.
    static let selected: FuzzTarget = {
        let name = ProcessInfo.processInfo.environment["PRUNEBOOK_FUZZ_TARGET"] ?? ""
        guard let target = FuzzTarget(rawValue: name) else {
            let names = allCases.map(\.rawValue).joined(separator: ", ")
            FileHandle.standardError.write(Data("set PRUNEBOOK_FUZZ_TARGET to one of: \(names)\n".utf8))
            exit(2)
        }
        return target
    }()

    /// Feeds `bytes` to this target's code and checks its properties.
    func run(_ bytes: [UInt8]) {
        switch self {
        case .parser: LanguageFuzzing.parse(bytes)
        case .interpreter: LanguageFuzzing.interpret(bytes)
        case .notebook: NotebookFuzzing.roundTrip(bytes)
        case .safetensors: LoaderFuzzing.safetensors(bytes)
        case .npy: LoaderFuzzing.npy(bytes)
        case .npz: LoaderFuzzing.npz(bytes)
        case .llama2c: LoaderFuzzing.llama2c(bytes)
        case .tokenizer: LoaderFuzzing.tokenizer(bytes)
        }
    }
}

/// Stops the fuzzer on a broken property, printing what broke (libFuzzer then saves the
/// input as `crash-…`).
func violated(_ property: String) -> Never {
    fatalError("fuzz property violated: \(property)")
}
