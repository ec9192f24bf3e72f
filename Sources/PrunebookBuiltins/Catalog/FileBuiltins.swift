import Foundation
import Models
import PrunebookLanguage
import TensorModule

/// File builtins: loading and saving tensors (`.npy`), records of tensors (safetensors,
/// `.npz`, llama2.c checkpoints) and text (`.txt`), and finding files in the data folder. Paths resolve against the script's or notebook's folder.
enum FileBuiltins {
    static let all: [Builtin] = [load, save, data]

    static let category = "Files"

    /// The extensions `save` writes, with what each holds.
    static let saveFormats = ".npy (tensor), .safetensors or .npz (record of tensors), .txt (string or chart)"

    /// `load(path)`: a file's contents, by content.
    static let load = Builtin(
        name: "load", category: category,
        parameters: [.required("path", .string)],
        returns: "tensor | record | string",
        summary: "read a file by its content: `.npy` → tensor; safetensors, `.npz`, llama2.c `.bin` → record of tensors; `.txt` → string",
        doc: "The format is decided by the content (the `\\x93NUMPY` magic, a safetensors header, a zip header), "
            + "else by the extension. `.npy` versions 1 to 3 with dtypes f4, f8 (read as f32), i4, i8 (read as i32, "
            + "an error outside its range) and b1 (bool), either byte order, C or Fortran order. safetensors: "
            + "F32, F16, BF16, F64 (as f32), I32, I64 (as i32), U8 (as i32), BOOL; the header's offsets are checked "
            + "against the file; large files are memory-mapped. `.npz`: stored or deflated `.npy` members, at most "
            + "4 GiB expanded (a zip bomb is an error, not a full disk). llama2.c checkpoints (`.bin`): the arrays "
            + "of the data README, per-layer ones stacked (`wq` is `[n_layers, dim, dim]`), without the legacy RoPE "
            + "tables; use `load_model` to run one. Text must be UTF-8. A truncated or malformed file is an error "
            + "naming the file and the byte offset. Relative paths are relative to the script's (or notebook's) folder.",
        example: "save(\"prunebook-example.npy\", [[1, 2], [3, 4]])\nprint(load(\"prunebook-example.npy\"))\n"
            + "save(\"prunebook-example.safetensors\", {w: eye(2), ids: tensor([3, 1], dtype: \"i32\")})\n"
            + "load(\"prunebook-example.safetensors\")",
        output: "tensor([[1, 2],\n        [3, 4]], f32)\n{w: tensor([[1, 0],\n        [0, 1]], f32), ids: tensor([3, 1], i32)}\n"
    ) { args, context in
        let path = try args.string("path")
        let url = context.resolvePath(path)
        let name = url.lastPathComponent
        let data = try ModelFiles.read(url, path: path)
        if data.starts(with: npyMagic) { return .tensor(try decodeNpy([UInt8](data), name: name)) }
        if Safetensors.looksLike(data) { return tensorRecord(try Safetensors.read(data, name: name).tensors) }
        if Npz.looksLike(data) { return tensorRecord(try Npz.read(data, name: name)) }
        switch url.pathExtension.lowercased() {
        case "txt":
            let bytes = [UInt8](data)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                let offset = firstInvalidUTF8Offset(bytes)
                throw PrunebookError(.io, "\(name) is not valid UTF-8 text (invalid byte at offset \(offset))")
            }
            return .string(text)
        case "npy":
            return .tensor(try decodeNpy([UInt8](data), name: name))
        case "safetensors":
            return tensorRecord(try Safetensors.read(data, name: name).tensors)
        case "npz":
            return tensorRecord(try Npz.read(data, name: name))
        case "bin":
            return tensorRecord(try LlamaCheckpoint.arrays(try LlamaCheckpoint.load([UInt8](data), name: name)))
        default:
            throw args.error("path", "cannot tell the format of \(path): its content is not .npy, safetensors or zip and its extension is not .txt or .bin")
        }
    }

    /// `save(path, value)`: writes a value by extension, atomically.
    static let save = Builtin(
        name: "save", category: category,
        parameters: [.required("path", .string), .required("value", .any)],
        returns: "nil",
        summary: "write a tensor to `.npy`, a record of tensors to `.safetensors` or `.npz`, a string or chart to `.txt`; atomic",
        doc: "`.npy` files are NumPy version 1.0 in C order (f32 as `<f4`, i32 as `<i4`, bool as `|b1`); a list "
            + "of numbers is saved as the tensor it converts to. `.safetensors` holds a record of tensors (F32, I32, "
            + "BOOL) that the Python `safetensors` package and PyTorch read; `.npz` the same as stored `.npy` members "
            + "(NumPy's `np.load` reads it). `.txt` holds a string (UTF-8) or a chart's text. The file is written to "
            + "a temporary file in the same folder, flushed and renamed, so readers never see half a file. An "
            + "unknown extension, or a value the extension cannot hold, is an error; models use `save_model`."
            + ModelFiles.writeConfinement,
        example: "save(\"prunebook-example.txt\", \"hello\")\nload(\"prunebook-example.txt\")",
        output: "\"hello\"\n"
    ) { args, context in
        let path = try args.string("path")
        let url = try context.resolveWritePath(path)
        let value = args["value"]
        let bytes: [UInt8]
        switch url.pathExtension.lowercased() {
        case "npy":
            switch value {
            case .tensor, .list, .number, .bool:
                bytes = encodeNpy(try args.tensor("value"))
            default:
                throw args.error("value", "a .npy file holds a tensor, got \(value.typeName)")
            }
        case "safetensors":
            bytes = Safetensors.encode(Safetensors.File(tensors: try namedTensors(args, for: ".safetensors")))
        case "npz":
            bytes = try Npz.encode(try namedTensors(args, for: ".npz"))
        case "txt":
            switch value {
            case .string(let s): bytes = Array(s.utf8)
            case .handle: bytes = Array(value.printText.utf8)
            default: throw args.error("value", "a .txt file holds a string, got \(value.typeName) (convert with `str`)")
            }
        default:
            let ext = url.pathExtension.isEmpty ? "no extension" : "extension .\(url.pathExtension)"
            throw args.error("path", "cannot save \(path): unknown \(ext); supported: \(saveFormats)")
        }
        try ModelFiles.write(bytes, to: url, path: path)
        return .nilValue
    }

    /// A record of the named tensors, in order.
    private static func tensorRecord(_ tensors: [(name: String, tensor: Tensor)]) -> Value {
        .record(Record(tensors.map { ($0.name, Value.tensor($0.tensor)) }))
    }

    /// The `value` argument as named tensors: a record whose fields are all tensors (or lists of numbers).
    private static func namedTensors(_ args: Arguments, for format: String) throws -> [(name: String, tensor: Tensor)] {
        guard case .record(let r) = args["value"] else {
            let hint = args["value"].typeName == "model" ? " (save a model with `save_model`)" : ""
            throw args.error("value", "a \(format) file holds a record of tensors, got \(args["value"].typeName)\(hint)")
        }
        return try r.fields.map { key, value in
            do {
                return (key, try value.asTensor())
            } catch {
                throw args.error("value", "a \(format) file holds tensors, but field `\(key)` is a \(value.typeName)")
            }
        }
    }

    /// `data(name)`: the path of a file in the data folder.
    static let data = Builtin(
        name: "data", category: category,
        parameters: [.required("name", .string)],
        returns: "string",
        summary: "the path of file `name` in the folder named by the environment variable `PRUNEBOOK_DATA`",
        doc: "An error when `PRUNEBOOK_DATA` is unset or the file does not exist there. Use it to find models and "
            + "token files: `load_model(data(\"stories260K.bin\"))`.",
        example: "try { data(\"no-such-file.bin\") } catch e { print(\"not in the data folder\") }",
        output: "not in the data folder\n"
    ) { args, _ in
        let name = try args.string("name")
        guard let folder = ProcessInfo.processInfo.environment["PRUNEBOOK_DATA"], !folder.isEmpty else {
            throw PrunebookError(.io, "`data`: the environment variable PRUNEBOOK_DATA is not set (set it to the data folder)")
        }
        let url = URL(fileURLWithPath: folder).appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw PrunebookError(.io, "`data`: no file \(name) in PRUNEBOOK_DATA (\(folder))")
        }
        return .string(url.path)
    }

    /// The offset of the first byte that breaks UTF-8 decoding.
    private static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int {
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput, .error: return offset
            }
        }
    }
}
