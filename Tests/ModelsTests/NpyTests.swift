import Foundation
@testable import Models
import Testing
import TensorModule

/// The `.npy` codec: round trips, files written by NumPy (Fixtures/make_file_fixtures.py) and
/// errors that name the file and the byte offset.
@Suite struct NpyFormatTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    /// The 2×3 values every 2×3 fixture holds.
    static let twoByThree = Tensor(shape: [2, 3], f32: [0.5, -1.25, 2, 3, 4.75, -6])

    func fixture(_ name: String) throws -> Tensor {
        let data = try Data(contentsOf: Self.fixtures.appendingPathComponent(name))
        return try decodeNpy([UInt8](data), name: name)
    }

    func decodeError(_ bytes: [UInt8], name: String = "x.npy") -> String? {
        do {
            _ = try decodeNpy(bytes, name: name)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func roundTripsEveryDtypeAndRank() throws {
        let tensors = [
            Self.twoByThree,
            Tensor(shape: [], f32: [3.5]),
            Tensor(shape: [0], f32: []),
            Tensor(shape: [2, 0, 3], i32: []),
            Tensor(shape: [4], i32: [-7, 0, Int32.max, Int32.min]),
            Tensor(shape: [2, 1, 2], bool: [true, false, false, true]),
            Tensor(shape: [3], f32: [.infinity, -0.0, 1e-30]),
        ]
        for t in tensors {
            let bytes = encodeNpy(t)
            #expect(try decodeNpy(bytes, name: "t.npy") == t)
        }
    }

    @Test func writesAVersionOneHeaderAlignedTo64() throws {
        let bytes = encodeNpy(Self.twoByThree)
        #expect(Array(bytes.prefix(8)) == [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59, 1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        #expect((10 + headerLength) % 64 == 0)
        #expect(bytes[10 + headerLength - 1] == 0x0A)
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"))
        #expect(bytes.count == 10 + headerLength + 24)
        let bools = String(decoding: encodeNpy(Tensor(shape: [1], bool: [true])), as: UTF8.self)
        #expect(bools.contains("'descr': '|b1'") && bools.contains("'shape': (1,)"))
        let scalar = String(decoding: encodeNpy(Tensor(shape: [], i32: [1])), as: UTF8.self)
        #expect(scalar.contains("'descr': '<i4'") && scalar.contains("'shape': ()"))
    }

    @Test func readsFilesWrittenByNumPy() throws {
        #expect(try fixture("f4_2x3.npy") == Self.twoByThree)
        #expect(try fixture("fortran_f4_2x3.npy") == Self.twoByThree)
        #expect(try fixture("big_endian_f4_2x3.npy") == Self.twoByThree)
        #expect(try fixture("f8_3.npy") == Tensor(shape: [3], f32: [1.5, -2, Float(1e-3)]))
        #expect(try fixture("i8_4.npy") == Tensor(shape: [4], i32: [-3, 0, 7, Int32.max]))
        #expect(try fixture("bool_2x2.npy") == Tensor(shape: [2, 2], bool: [true, false, false, true]))
        #expect(try fixture("i4_scalar.npy") == Tensor(shape: [], i32: [42]))
        #expect(try fixture("v2_i4_2x2.npy") == Tensor(shape: [2, 2], i32: [1, 2, 3, 4]))
    }

    @Test func ourFilesMatchNumPysBytes() throws {
        // NumPy writes the same version 1.0 header and data for a C-order <f4 array.
        let numpy = try Data(contentsOf: Self.fixtures.appendingPathComponent("f4_2x3.npy"))
        #expect(encodeNpy(Self.twoByThree) == [UInt8](numpy))
    }

    /// A Fortran-order header whose extents overflow together but include a zero: an empty
    /// tensor. The reversed shape put the zero last, `Tensor.elementCount` overflowed before
    /// reaching it, and `Tensor(shape:data:)` trapped (found by the npy fuzz target).
    @Test func aZeroExtentEmptiesAShapeWhoseOtherExtentsOverflow() throws {
        let tensor = try fixture("fuzz/npy-zero-extent-overflow.npy")
        #expect(tensor.shape == [0, 1, 1, 73_709_551_615, 38_722, 13, 453, 455, 1])
        #expect(tensor.count == 0)
        #expect(Tensor.elementCount([Int.max, 2, 0]) == 0)
    }

    @Test func truncatedDataNamesFileAndOffset() throws {
        var bytes = encodeNpy(Self.twoByThree)
        bytes.removeLast(8)
        #expect(decodeError(bytes) == "truncated .npy file x.npy: header says 24 bytes of data at offset 128, file has 16")
        #expect(decodeError(Array(bytes.prefix(8)))?.hasPrefix("truncated .npy file x.npy") == true)
        #expect(decodeError(Array(bytes.prefix(30)))?.hasPrefix("truncated .npy file x.npy: header says 118 bytes of header at offset 10, file has 20") == true)
    }

    @Test func malformedHeadersAreErrors() throws {
        #expect(decodeError([1, 2, 3]) == "malformed .npy file x.npy: missing the \\x93NUMPY magic at offset 0")
        func withHeader(_ text: String, data: [UInt8] = []) -> [UInt8] {
            let header = Array(text.utf8)
            return npyMagic + [1, 0, UInt8(header.count & 0xFF), UInt8(header.count >> 8)] + header + data
        }
        #expect(decodeError(withHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (1,), }"))
            == "malformed .npy file x.npy: unsupported dtype '<c8' at offset 10 (supported: f4, f8, i4, i8, b1)")
        #expect(decodeError(withHeader("{'descr': '<f4', 'shape': (1,), }"))
            == "malformed .npy file x.npy: missing key 'fortran_order' in the header at offset 10")
        #expect(decodeError(withHeader("{'descr': '<f4', 'fortran_order': Maybe, 'shape': (1,), }"))
            == "malformed .npy file x.npy: expected True or False in the header at offset 44")
        var badVersion = encodeNpy(Self.twoByThree)
        badVersion[6] = 9
        #expect(decodeError(badVersion)?.hasPrefix("malformed .npy file x.npy: unsupported format version 9.0 at offset 6") == true)
        let tooBig = withHeader("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }",
                                data: [0, 0, 0, 0, 1, 0, 0, 0])
        #expect(decodeError(tooBig)?.hasSuffix("is outside the i32 range") == true)
    }
}
