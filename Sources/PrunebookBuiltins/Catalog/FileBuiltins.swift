import Foundation
import PrunebookLanguage
import TensorModule

/// File builtins: loading and saving tensors (`.npy`) and text (`.txt`), and finding files in
/// the data folder. Paths resolve against the script's or notebook's folder.
enum FileBuiltins {
    static let all: [Builtin] = [load, save, data]

    static let category = "Files"

    /// The extensions `save` writes, with what each holds.
    static let saveFormats = ".npy (tensor), .txt (string)"

    /// `load(path)`: a file's contents, by content.
    static let load = Builtin(
        name: "load", category: category,
        parameters: [.required("path", .string)],
        returns: "tensor | string",
        summary: "read a file: a NumPy `.npy` file → tensor, a `.txt` file → string",
        doc: "The format is decided by the content (the `\\x93NUMPY` magic), else by the extension. `.npy` "
            + "versions 1 to 3 with dtypes f4, f8 (read as f32), i4, i8 (read as i32, an error outside its range) "
            + "and b1 (bool), either byte order, C or Fortran order. Text must be UTF-8. A truncated or malformed "
            + "file is an error naming the file and the byte offset. Relative paths are relative to the "
            + "script's (or notebook's) folder.",
        example: "save(\"/tmp/prunebook-example.npy\", [[1, 2], [3, 4]])\nload(\"/tmp/prunebook-example.npy\")",
        output: "tensor([[1, 2],\n        [3, 4]], f32)\n"
    ) { args, context in
        let path = try args.string("path")
        let url = context.resolvePath(path)
        let name = url.lastPathComponent
        let bytes = try readFile(url, path: path)
        if hasNpyMagic(bytes) {
            return .tensor(try decodeNpy(bytes, name: name))
        }
        switch url.pathExtension.lowercased() {
        case "txt":
            guard let text = String(validating: bytes, as: UTF8.self) else {
                let offset = firstInvalidUTF8Offset(bytes)
                throw PrunebookError(.io, "\(name) is not valid UTF-8 text (invalid byte at offset \(offset))")
            }
            return .string(text)
        case "npy":
            return .tensor(try decodeNpy(bytes, name: name))
        default:
            throw args.error("path", "cannot tell the format of \(path): it is not a .npy file and has no .txt extension (load reads .npy and .txt)")
        }
    }

    /// `save(path, value)`: writes a value by extension, atomically.
    static let save = Builtin(
        name: "save", category: category,
        parameters: [.required("path", .string), .required("value", .any)],
        returns: "nil",
        summary: "write a tensor to `.npy` or a string to `.txt`, chosen by the extension; atomic",
        doc: "`.npy` files are NumPy version 1.0 in C order (f32 as `<f4`, i32 as `<i4`, bool as `|b1`); a list "
            + "of numbers is saved as the tensor it converts to. `.txt` holds a string (UTF-8). The file is "
            + "written to a temporary file in the same folder and renamed, so readers never see half a file. "
            + "An unknown extension, or a value the extension cannot hold, is an error.",
        example: "save(\"/tmp/prunebook-example.txt\", \"hello\")\nload(\"/tmp/prunebook-example.txt\")",
        output: "\"hello\"\n"
    ) { args, context in
        let path = try args.string("path")
        let url = context.resolvePath(path)
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
        try writeAtomically(bytes, to: url, path: path)
        return .nilValue
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

    /// The bytes of the file at `url`; `path` is how the user wrote it.
    private static func readFile(_ url: URL, path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else {
            throw PrunebookError(.io, "cannot load \(path): no such file (looked for \(url.path))")
        }
        guard !isDirectory.boolValue else {
            throw PrunebookError(.io, "cannot load \(path): it is a folder, not a file")
        }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw PrunebookError(.io, "cannot load \(path): the file cannot be read (check its permissions)")
        }
        return [UInt8](data)
    }

    /// Writes `bytes` to a temporary file beside `url`, then renames it over `url`.
    private static func writeAtomically(_ bytes: [UInt8], to url: URL, path: String) throws {
        let folder = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PrunebookError(.io, "cannot save \(path): the folder \(folder.path) does not exist")
        }
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).\(UInt32.random(in: 0...UInt32.max)).tmp")
        guard FileManager.default.createFile(atPath: temporary.path, contents: Data(bytes)) else {
            throw PrunebookError(.io, "cannot save \(path): cannot write in \(folder.path)")
        }
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw PrunebookError(.io, "cannot save \(path): \(reason)")
        }
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
