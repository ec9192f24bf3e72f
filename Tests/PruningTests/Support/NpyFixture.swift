import Foundation
import TensorModule

/// A minimal reader for the NumPy `.npy` fixtures in `Fixtures/` (written by
/// make_fixtures.py): format version 1.0, C order, dtype `<f4` or `|b1`. PruningTests must
/// not import Models (which has the full loader), so the tests carry this small one.
enum NpyFixture {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    /// The fixture `Fixtures/<name>.npy` as a tensor (f32 or bool).
    static func load(_ name: String) throws -> Tensor {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures").appendingPathComponent(name + ".npy")
        let bytes = [UInt8](try Data(contentsOf: url))
        guard bytes.count >= 10, bytes[0] == 0x93, Array(bytes[1..<6]) == Array("NUMPY".utf8), bytes[6] == 1 else {
            throw Failure(description: "\(name).npy is not a version 1 .npy file")
        }
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        guard bytes.count >= 10 + headerLength,
              let header = String(bytes: bytes[10..<(10 + headerLength)], encoding: .ascii) else {
            throw Failure(description: "\(name).npy: truncated header")
        }
        guard header.contains("'fortran_order': False"),
              let open = header.range(of: "'shape': ("), let close = header[open.upperBound...].firstIndex(of: ")") else {
            throw Failure(description: "\(name).npy: unsupported header \(header)")
        }
        let shape = header[open.upperBound..<close].split(separator: ",").compactMap {
            Int($0.trimmingCharacters(in: .whitespaces))
        }
        let count = shape.reduce(1, *)
        let body = Array(bytes[(10 + headerLength)...])
        if header.contains("'descr': '<f4'") {
            guard body.count == 4 * count else { throw Failure(description: "\(name).npy: expected \(count) f32 values") }
            let values = (0..<count).map { i in
                Float(bitPattern: UInt32(body[4 * i]) | UInt32(body[4 * i + 1]) << 8
                                  | UInt32(body[4 * i + 2]) << 16 | UInt32(body[4 * i + 3]) << 24)
            }
            return Tensor(shape: shape, f32: values)
        }
        if header.contains("'descr': '|b1'") {
            guard body.count == count else { throw Failure(description: "\(name).npy: expected \(count) bools") }
            return Tensor(shape: shape, bool: body.map { $0 != 0 })
        }
        throw Failure(description: "\(name).npy: unsupported dtype in \(header)")
    }
}
