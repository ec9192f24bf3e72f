import Foundation
import Models

/// The file-format targets: every loader on any bytes. A thrown `ModelError` is the
/// expected answer to a bad file; a crash or a huge allocation (libFuzzer's
/// `-malloc_limit_mb`) is a bug. Files that load are written back and read again, which
/// must give the same bytes.
enum LoaderFuzzing {
    /// The npz members' size cap for one input (the default is 4 GB), low so that seeds
    /// like the 4 MB zip bomb fixture stay fast to mutate.
    static let npzLimit = 1 << 20

    /// `Safetensors.read`; a file that reads must re-encode to a fixed point.
    static func safetensors(_ bytes: [UInt8]) {
        guard let file = try? Safetensors.read(Data(bytes), name: "fuzz.safetensors") else { return }
        let encoded = Safetensors.encode(file)
        guard let again = try? Safetensors.read(Data(encoded), name: "re-encoded") else {
            violated("a safetensors file that reads does not read back once re-encoded")
        }
        guard Safetensors.encode(again) == encoded else { violated("safetensors re-encoding is not a fixed point") }
    }

    /// `decodeNpy`; a file that decodes must re-encode to a fixed point.
    static func npy(_ bytes: [UInt8]) {
        guard let tensor = try? decodeNpy(bytes, name: "fuzz.npy") else { return }
        let encoded = encodeNpy(tensor)
        guard let again = try? decodeNpy(encoded, name: "re-encoded") else {
            violated("an npy file that decodes does not decode once re-encoded")
        }
        guard encodeNpy(again) == encoded else { violated("npy re-encoding is not a fixed point") }
    }

    /// `Npz.read` with a 1 MB member cap; an archive that reads must re-encode to a
    /// fixed point.
    static func npz(_ bytes: [UInt8]) {
        guard let members = try? Npz.read(Data(bytes), name: "fuzz.npz", limit: npzLimit) else { return }
        guard let encoded = try? Npz.encode(members) else { return }
        guard let again = try? Npz.read(Data(encoded), name: "re-encoded", limit: npzLimit) else {
            violated("an npz archive that reads does not read back once re-encoded")
        }
        guard (try? Npz.encode(again)) == encoded else { violated("npz re-encoding is not a fixed point") }
    }

    /// `LlamaCheckpoint.load`, then the named arrays of the weights it gives.
    static func llama2c(_ bytes: [UInt8]) {
        guard let weights = try? LlamaCheckpoint.load(bytes, name: "fuzz.bin") else { return }
        _ = try? LlamaCheckpoint.arrays(weights)
    }

    /// `Tokenizer.load`; a tokenizer that loads must write back the same pieces and
    /// encode and decode a short text without crashing.
    static func tokenizer(_ bytes: [UInt8]) {
        guard let tokenizer = try? Tokenizer.load(bytes, name: "fuzz-tokenizer.bin") else { return }
        let written = tokenizer.fileBytes()
        guard let again = try? Tokenizer.load(written, name: "rewritten") else {
            violated("a tokenizer that loads does not load once written back")
        }
        guard again.fileBytes() == written else { violated("tokenizer rewriting is not a fixed point") }
        let ids = tokenizer.encode("Once upon a time, Lily saw a cat.", bos: true)
        _ = tokenizer.decode(ids)
    }
}
