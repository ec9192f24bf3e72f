import Foundation
import Testing
import TensorModule
@testable import Models

/// A safetensors file from a header JSON text and a data buffer, as a writer would lay it out.
private func file(_ header: String, _ data: [UInt8] = []) -> Data {
    var out: [UInt8] = []
    let json = Array(header.utf8)
    for k in 0..<8 { out.append(UInt8((UInt64(json.count) >> (8 * UInt64(k))) & 0xFF)) }
    return Data(out + json + data)
}

/// The message of the error `Safetensors.read` throws for `bytes`, nil when it reads.
private func readError(_ bytes: Data) -> String? {
    do {
        _ = try Safetensors.read(bytes, name: "m.safetensors")
        return nil
    } catch {
        return error.message
    }
}

@Suite struct SafetensorsTests {
    @Test func roundTripsEveryDtypeShapeAndTheMetadata() throws {
        let tensors: [(name: String, tensor: Tensor)] = [
            ("w", Tensor(shape: [2, 3], f32: [0.5, -1, 2, 3e-8, 4, .infinity])),
            ("ids", Tensor(shape: [3], i32: [-7, 0, Int32.max])),
            ("mask", Tensor(shape: [2, 2], bool: [true, false, false, true])),
            ("scalar", Tensor(shape: [], f32: [42])),
            ("empty", Tensor(shape: [0, 4], f32: [])),
        ]
        let bytes = Safetensors.encode(Safetensors.File(tensors: tensors, metadata: ["config": "{\"a\": 1}", "note": "é\n\""]))
        #expect(Int(bytes[0]) % 8 == 0, "the header is padded to 8 bytes")
        let back = try Safetensors.read(Data(bytes), name: "x.safetensors")
        #expect(back.tensors.map(\.name) == tensors.map(\.name))
        for (a, b) in zip(back.tensors, tensors) { #expect(a.tensor == b.tensor, "\(a.name)") }
        #expect(back.metadata == ["config": "{\"a\": 1}", "note": "é\n\""])
    }

    @Test func readsHalfBrainAndWideDtypes() throws {
        // F16 1.0 = 0x3C00, -2.5 = 0xC100, smallest subnormal 0x0001; BF16 1.5 = 0x3FC0.
        let data: [UInt8] = [0x00, 0x3C, 0x00, 0xC1, 0x01, 0x00, 0xC0, 0x3F]
            + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + [0, 0, 0, 0, 0, 0, 0xF8, 0x3F] + [7, 200]
        let header = #"{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[6,8]},"#
            + #""i":{"dtype":"I64","shape":[1],"data_offsets":[8,16]},"d":{"dtype":"F64","shape":[1],"data_offsets":[16,24]},"#
            + #""u":{"dtype":"U8","shape":[2],"data_offsets":[24,26]}}"#
        let f = try Safetensors.read(file(header, data), name: "x")
        let byName = Dictionary(uniqueKeysWithValues: f.tensors.map { ($0.name, $0.tensor) })
        #expect(byName["h"] == Tensor(shape: [3], f32: [1, -2.5, 0x1p-24]))
        #expect(byName["b"] == Tensor(shape: [1], f32: [1.5]))
        #expect(byName["i"] == Tensor(shape: [1], i32: [-1]))
        #expect(byName["d"] == Tensor(shape: [1], f32: [1.5]))
        #expect(byName["u"] == Tensor(shape: [2], i32: [7, 200]))
        #expect(f.tensors.map(\.name) == ["h", "b", "i", "d", "u"], "buffer order")
    }

    @Test func badFilesAreErrorsNamingFileAndOffset() {
        #expect(readError(Data([1, 2, 3])) == "m.safetensors: truncated at byte 3: the header length needs 8 bytes, file has 3")
        #expect(readError(file("{}").prefix(9)) == "m.safetensors: truncated at byte 8: header length 2 runs past the end of the file (9 bytes)")
        var huge = Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F])
        huge.append(contentsOf: [UInt8](repeating: 0x20, count: 16))
        #expect(readError(huge)?.hasPrefix("m.safetensors: truncated at byte 8: header length 9223372036854775807 runs past") == true)
        #expect(readError(file("[1, 2]")) == "m.safetensors: bad header at byte 8: the header is not a JSON object")
        #expect(readError(file(#"{"w":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}"#, [0]))
            == "m.safetensors: unknown dtype at byte 8: tensor `w` has dtype Q4; supported: BF16, BOOL, F16, F32, F64, I32, I64, U8")
        #expect(readError(file(#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]))
            == "m.safetensors: bad header at byte 8: tensor `w` F32 [2] needs 8 bytes, data_offsets span 4")
        let outside = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        #expect(readError(file(outside, [0, 0, 0, 0, 0, 0, 0, 0]))
            == "m.safetensors: offset out of range at byte \(8 + outside.utf8.count + 4): tensor `w` ends at data byte 12, the data buffer has 8 bytes")
        let overlapping = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        #expect(readError(file(overlapping, [UInt8](repeating: 0, count: 8)))
            == "m.safetensors: overlapping tensors at byte \(8 + overlapping.utf8.count + 4): `b` starts at data byte 4, inside `a` (0..<8)")
        #expect(readError(file(#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, [0, 0, 0, 0]))
            == "m.safetensors: bad header at byte 8: tensor `w` has a shape that is not a list of non-negative integers")
        #expect(readError(file(#"{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}"#, [0, 0, 0, 0, 1, 0, 0, 0]))?
            .hasPrefix("m.safetensors: value out of range") == true)
    }

    @Test func aFileTooShortForItsShapeNeverAllocatesTheShape() {
        // 2^40 elements claimed: rejected from the offsets before anything is allocated.
        let header = #"{"w":{"dtype":"F32","shape":[1048576,1048576],"data_offsets":[0,4398046511104]}}"#
        #expect(readError(file(header, [0, 0, 0, 0]))?.hasPrefix("m.safetensors: offset out of range") == true)
    }

    /// Files written and read by the Python `safetensors` package (`make test` pip-installs it).
    @Test(.enabled(if: PythonPeer.hasSafetensors, "skipped: needs python3 with the safetensors and numpy packages"))
    func pythonSafetensorsReadsOurFilesAndWeReadItsFiles() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("prunebook-st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let ours = folder.appendingPathComponent("ours.safetensors"), theirs = folder.appendingPathComponent("theirs.safetensors")
        let tensors: [(name: String, tensor: Tensor)] = [
            ("w", Tensor(shape: [2, 3], f32: [0.5, -1, 2, 3, 4, 5])),
            ("ids", Tensor(shape: [2], i32: [9, -9])), ("mask", Tensor(shape: [3], bool: [true, false, true])),
        ]
        try Data(Safetensors.encode(Safetensors.File(tensors: tensors, metadata: ["k": "v"]))).write(to: ours)
        let script = """
            import numpy as np
            from safetensors import safe_open
            from safetensors.numpy import load_file, save_file
            t = load_file("\(ours.path)")
            assert t["w"].dtype == np.float32 and t["w"].tolist() == [[0.5, -1, 2], [3, 4, 5]], t["w"]
            assert t["ids"].dtype == np.int32 and t["ids"].tolist() == [9, -9]
            assert t["mask"].dtype == np.bool_ and t["mask"].tolist() == [True, False, True]
            with safe_open("\(ours.path)", framework="numpy") as f:
                assert f.metadata() == {"k": "v"}
            save_file({"a": np.arange(6, dtype=np.float32).reshape(2, 3), "h": np.array([1.5, -2], dtype=np.float16),
                       "l": np.array([3, -4], dtype=np.int64), "b": np.array([True, False])},
                      "\(theirs.path)", metadata={"config": "{}"})
            print("ok")
            """
        #expect(try PythonPeer.run(script) == "ok\n")
        let back = try Safetensors.read(try Data(contentsOf: theirs), name: "theirs.safetensors")
        let byName = Dictionary(uniqueKeysWithValues: back.tensors.map { ($0.name, $0.tensor) })
        #expect(byName["a"] == Tensor(shape: [2, 3], f32: [0, 1, 2, 3, 4, 5]))
        #expect(byName["h"] == Tensor(shape: [2], f32: [1.5, -2]))
        #expect(byName["l"] == Tensor(shape: [2], i32: [3, -4]))
        #expect(byName["b"] == Tensor(shape: [2], bool: [true, false]))
        #expect(back.metadata == ["config": "{}"])
    }
}

/// `python3` as an independent peer for file formats.
enum PythonPeer {
    /// True when `python3` imports numpy and safetensors.
    static let hasSafetensors: Bool = (try? run("import numpy, safetensors\nprint('ok')")) == "ok\n"

    /// Runs `script` with `python3` and returns its stdout; throws when it fails.
    static func run(_ script: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ModelError("python3 failed: " + String(decoding: errors, as: UTF8.self))
        }
        return String(decoding: output, as: UTF8.self)
    }
}
