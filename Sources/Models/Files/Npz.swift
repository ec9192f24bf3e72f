import Foundation
import TensorModule
import ZIPFoundation

/// NumPy `.npz` archives: a zip file of `.npy` members (`np.savez` stores them, `np.savez_compressed`
/// deflates them), read by `ZipReader` and written through ZIPFoundation. Member `w.npy` is the tensor `w`.
public enum Npz {
    /// The most bytes all members together may expand to (a zip bomb guard): 4 GiB.
    public static let defaultLimit = 4 << 30

    /// True when `bytes` start with a zip local-file header (`PK\u{3}\u{4}`), as every `.npz` does.
    public static func looksLike(_ bytes: Data) -> Bool {
        bytes.count >= 4 && Array(bytes.prefix(4)) == [0x50, 0x4B, 0x03, 0x04]
    }

    /// The tensors of an `.npz` archive in member order; `name` is the file name used in
    /// errors. Members must be `.npy` files; their expanded size is counted as it is
    /// inflated and stops at `limit` bytes in total.
    public static func read(_ bytes: Data, name: String, limit: Int = defaultLimit) throws(ModelError) -> [(name: String, tensor: Tensor)] {
        let archive = try ZipReader([UInt8](bytes), name: name)
        var out: [(name: String, tensor: Tensor)] = []
        var total = 0
        for member in archive.members where !member.isDirectory {
            guard member.path.hasSuffix(".npy") else {
                throw ModelError("\(name): member \(member.path) is not a .npy file", kind: .io)
            }
            guard member.uncompressedSize <= limit - total else {
                throw ModelError("\(name): member \(member.path) declares \(member.uncompressedSize.grouped) bytes, over the \(limit.grouped)-byte limit for an archive", kind: .io)
            }
            let content = try archive.contents(of: member, limit: limit - total)
            total += content.count
            let tensor = try decodeNpy(content, name: "\(name)/\(member.path)")
            out.append((String(member.path.dropLast(4)), tensor))
        }
        return out
    }

    /// An `.npz` archive holding `tensors` as stored (uncompressed) `.npy` members, as `np.savez` writes.
    public static func encode(_ tensors: [(name: String, tensor: Tensor)]) throws(ModelError) -> [UInt8] {
        do throws(any Error) {
            let archive = try Archive(data: Data(), accessMode: .create)
            for (key, tensor) in tensors {
                let npy = Data(encodeNpy(tensor))
                try archive.addEntry(with: key + ".npy", type: .file, uncompressedSize: Int64(npy.count),
                                     modificationDate: Date(timeIntervalSince1970: 315_532_800),
                                     compressionMethod: .none) { position, size in
                    npy.subdata(in: Int(position)..<(Int(position) + size))
                }
            }
            guard let data = archive.data else { throw Archive.ArchiveError.unwritableArchive }
            return [UInt8](data)
        } catch {
            throw ModelError("cannot build the .npz archive: \(error)", kind: .io)
        }
    }
}
