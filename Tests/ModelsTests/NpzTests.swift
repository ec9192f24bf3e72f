import Foundation
import Testing
import TensorModule
@testable import Models

/// `.npz` archives: files NumPy wrote (stored and deflated), round trips, and the expansion limit.
@Suite struct NpzTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func fixture(_ name: String) throws -> Data { try Data(contentsOf: Self.fixtures.appendingPathComponent(name)) }

    @Test func readsStoredAndDeflatedArchivesFromNumPy() throws {
        let stored = try Npz.read(try fixture("stored.npz"), name: "stored.npz")
        #expect(stored.map(\.name) == ["w", "ids"])
        #expect(stored[0].tensor == Tensor(shape: [2, 3], f32: [0.5, -1.25, 2, 3, 4.75, -6]))
        #expect(stored[1].tensor == Tensor(shape: [2], i32: [5, -1]))
        let deflated = try Npz.read(try fixture("deflated.npz"), name: "deflated.npz")
        #expect(deflated.map(\.name) == ["w", "mask"])
        #expect(deflated[1].tensor == Tensor(shape: [2, 2], bool: [true, false, false, true]))
    }

    @Test func roundTripsInOrder() throws {
        let tensors: [(name: String, tensor: Tensor)] = [
            ("layers.0.wq", Tensor(shape: [2, 2], f32: [1, 2, 3, 4])), ("m", Tensor(shape: [3], bool: [true, false, true])),
        ]
        let bytes = try Npz.encode(tensors)
        #expect(Npz.looksLike(Data(bytes)))
        let back = try Npz.read(Data(bytes), name: "x.npz")
        #expect(back.map(\.name) == tensors.map(\.name))
        for (a, b) in zip(back, tensors) { #expect(a.tensor == b.tensor) }
    }

    @Test func anArchiveThatExpandsPastTheLimitIsAnError() throws {
        // 4 MiB of zeros deflated to 4 KB: fine under the default limit, an error under 1 MB.
        let bomb = try fixture("zeros_4mb.npz")
        #expect(try Npz.read(bomb, name: "zeros.npz")[0].tensor.shape == [1 << 20])
        #expect(throws: ModelError("zeros.npz: member z.npy declares 4,194,432 bytes, over the 1,000,000-byte limit for an archive", kind: .io)) {
            try Npz.read(bomb, name: "zeros.npz", limit: 1_000_000)
        }
    }

    /// Archives `make fuzz` found (docs/fuzzing.md): a central directory pointing past the
    /// end of the file (ZIPFoundation's in-memory reader crashed) and a deflated member cut
    /// short (it looped forever). Both are errors naming the file.
    @Test func fuzzFoundArchivesAreErrors() throws {
        #expect(throws: ModelError("a.npz: not a readable zip archive (the central directory lies outside the file)", kind: .io)) {
            try Npz.read(try fixture("fuzz/npz-offset-past-end.npz"), name: "a.npz")
        }
        #expect(throws: ModelError("b.npz: member z.npy cannot be extracted (its deflate data is corrupt or truncated)", kind: .io)) {
            try Npz.read(try fixture("fuzz/npz-truncated-deflate.npz"), name: "b.npz")
        }
    }

    /// A flipped byte inside a stored member fails the member's CRC-32 check.
    @Test func aCorruptedMemberFailsItsChecksum() throws {
        var bytes = [UInt8](try fixture("stored.npz"))
        let magic: [UInt8] = [0x93, 0x4E, 0x55, 0x4D, 0x50, 0x59]
        let start = try #require(bytes.indices.first { bytes[$0...].starts(with: magic) })
        bytes[start + 20] ^= 0x01
        #expect(throws: ModelError("stored.npz: member w.npy fails its CRC-32 check", kind: .io)) {
            try Npz.read(Data(bytes), name: "stored.npz")
        }
    }

    @Test func brokenArchivesAreErrorsNamingTheFile() {
        var truncated = [UInt8](Npz.encodeForTest())
        truncated.removeLast(30)
        #expect(throws: ModelError.self) { try Npz.read(Data(truncated), name: "cut.npz") }
        do {
            _ = try Npz.read(Data([0x50, 0x4B, 0x03, 0x04, 0, 0]), name: "cut.npz")
            Issue.record("a 6-byte archive read")
        } catch {
            #expect(error.message.hasPrefix("cut.npz: not a readable zip archive"))
        }
    }
}

extension Npz {
    /// A small valid archive.
    static func encodeForTest() -> [UInt8] {
        (try? encode([("a", Tensor(shape: [4], f32: [1, 2, 3, 4]))])) ?? []
    }
}
