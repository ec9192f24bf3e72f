import Foundation

/// The NumPy/SciPy SparseGPT fixtures written by `Fixtures/make_sparsegpt_fixtures.py`:
/// `sparsegpt.json` names raw little-endian row-major files (f32, f64 or u8) and their shapes.
struct SparseGPTFixture {
    /// One array: its shape and its values as Double (u8 as 0/1).
    struct Array {
        var shape: [Int]
        var values: [Double]
    }

    var blocksize: Int
    var damp: Double
    var arrays: [String: Array]

    /// The fixture folder next to this file.
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// Reads `sparsegpt.json` and every array it lists.
    static func load() throws -> SparseGPTFixture {
        let manifestData = try Data(contentsOf: folder.appendingPathComponent("sparsegpt.json"))
        guard let manifest = try JSONSerialization.jsonObject(with: manifestData) as? [String: Any],
              let blocksize = manifest["blocksize"] as? Int, let damp = manifest["damp"] as? Double,
              let entries = manifest["arrays"] as? [String: [String: Any]] else {
            throw SparseGPTFixtureError("sparsegpt.json does not have blocksize, damp and arrays")
        }
        var arrays: [String: Array] = [:]
        for (name, entry) in entries {
            guard let file = entry["file"] as? String, let dtype = entry["dtype"] as? String,
                  let shape = entry["shape"] as? [Int] else {
                throw SparseGPTFixtureError("array \(name) lacks file, dtype or shape")
            }
            let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(file)))
            let count = shape.reduce(1, *)
            let values: [Double]
            switch dtype {
            case "f32":
                guard bytes.count == 4 * count else { throw SparseGPTFixtureError("\(file) has \(bytes.count) bytes for \(count) f32") }
                values = (0..<count).map { i in
                    var bits: UInt32 = 0
                    for b in 0..<4 { bits |= UInt32(bytes[4 * i + b]) << (8 * b) }
                    return Double(Float(bitPattern: bits))
                }
            case "f64":
                guard bytes.count == 8 * count else { throw SparseGPTFixtureError("\(file) has \(bytes.count) bytes for \(count) f64") }
                values = (0..<count).map { i in
                    var bits: UInt64 = 0
                    for b in 0..<8 { bits |= UInt64(bytes[8 * i + b]) << (8 * b) }
                    return Double(bitPattern: bits)
                }
            case "u8":
                guard bytes.count == count else { throw SparseGPTFixtureError("\(file) has \(bytes.count) bytes for \(count) u8") }
                values = bytes.map { Double($0) }
            default:
                throw SparseGPTFixtureError("unknown dtype \(dtype) for \(file)")
            }
            arrays[name] = Array(shape: shape, values: values)
        }
        return SparseGPTFixture(blocksize: blocksize, damp: damp, arrays: arrays)
    }

    /// The array called `name`.
    func array(_ name: String) throws -> Array {
        guard let array = arrays[name] else { throw SparseGPTFixtureError("no array \(name) in sparsegpt.json") }
        return array
    }
}

/// A fixture that cannot be read.
struct SparseGPTFixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
