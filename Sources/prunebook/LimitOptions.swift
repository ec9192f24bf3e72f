import ArgumentParser
import Foundation
import PrunebookLanguage

/// `--max-memory SIZE`: the largest single tensor allocation a run may make (`512M`, `2G`,
/// or bytes), so a mistyped shape or a hostile notebook fails with a clear error instead of
/// exhausting the machine. The default is half the physical memory.
struct LimitOptions: ParsableArguments {
    @Option(name: .customLong("max-memory"),
            help: ArgumentHelp("The largest single tensor allocation: bytes, or a number with K, M or G (binary units). Default: half the machine's memory.",
                               valueName: "SIZE"))
    var maxMemory: String?

    /// The byte count `--max-memory` names, nil when not given.
    var bytes: UInt64? {
        guard let maxMemory else { return nil }
        return LimitOptions.parse(maxMemory)
    }

    /// `Limits()` with `--max-memory` applied.
    var limits: Limits {
        var limits = Limits()
        if let bytes { limits.allocationBytes = bytes }
        return limits
    }

    func validate() throws {
        if let maxMemory, LimitOptions.parse(maxMemory) == nil {
            throw ValidationError("--max-memory expects bytes or a number with K, M or G (e.g. 512M, 2G), got `\(maxMemory)`")
        }
    }

    /// `512`, `64K`, `512M`, `2G`, `1.5G` (binary units) as bytes; nil when malformed or not positive.
    static func parse(_ text: String) -> UInt64? {
        let units: [Character: Double] = ["K": 1024, "M": 1024 * 1024, "G": 1024 * 1024 * 1024]
        var number = text.uppercased()
        var scale = 1.0
        if let last = number.last, let unit = units[last] {
            scale = unit
            number.removeLast()
        }
        guard let value = Double(number), value.isFinite, value > 0, value * scale < 1.8e19 else { return nil }
        return UInt64(value * scale)
    }
}
