import Foundation
@testable import Sparse
import Testing

/// Both GEMV kernels (the C one chosen on AVX2 CPUs and the portable Swift one) equal the
/// dense product for every position width, storage, row-block split and accumulate mode.
@Suite struct NMMatrixNativeGEMVTests {
    /// Every position width (1 to 4 bits), with m below, at and above each permute's width
    /// (the C kernel copies the last groups that would read past x).
    static let patterns: [(n: Int, m: Int)] = [(1, 1), (1, 2), (2, 3), (2, 4), (3, 4), (2, 5), (4, 8), (3, 12), (8, 16)]

    @Test(arguments: patterns.indices, [NMMatrix.Storage.f32, .f16])
    func bothKernelsEqualTheDenseProduct(_ p: Int, _ storage: NMMatrix.Storage) throws {
        let (n, m) = Self.patterns[p]
        // 1 block; 5 blocks (the C kernel takes 3 at once, then single ones); 38 blocks over 2 threads.
        for (rows, columns) in [(3, 2 * m), (37, 9 * m), (301, 256 * m)] {
            let w = SparseTestMatrices.nm(rows: rows, columns: columns, n: n, m: m, seed: UInt64(rows + columns))
            let a = try NMMatrix(dense: w, rows: rows, columns: columns, n: n, m: m, storage: storage)
            let stored = a.dense()
            let x = SparseTestMatrices.values(columns, seed: 5), start = SparseTestMatrices.values(rows, seed: 6)
            let product = SparseTestMatrices.product(stored, rows: rows, inner: columns, x, k: 1)
            for kernel in [GEMVKernel.best, .portable] {
                for threads in [1, 2] {
                    for accumulate in [false, true] {
                        var y = start
                        x.withUnsafeBufferPointer { x in
                            y.withUnsafeMutableBufferPointer {
                                a.gemv(x.baseAddress!, into: $0.baseAddress!, accumulate: accumulate, threads: threads, kernel: kernel)
                            }
                        }
                        let want = accumulate ? zip(start, product).map { $0 + $1 } : product
                        #expect(SparseTestMatrices.close(y, want), "\(n):\(m) \(storage) [\(rows), \(columns)] \(kernel) t\(threads) acc \(accumulate)")
                    }
                }
            }
        }
    }

    /// x ends where an inaccessible page begins, so a kernel that loads a group's x past the
    /// end of x crashes the test.
    @Test(arguments: patterns.indices)
    func noKernelReadsPastTheEndOfX(_ p: Int) throws {
        let (n, m) = Self.patterns[p]
        let (rows, columns) = (9, 3 * m), page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let mapped = try #require(mmap(nil, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0))
        #expect(mapped != MAP_FAILED)
        defer { munmap(mapped, 2 * page) }
        #expect(mprotect(mapped + page, page, PROT_NONE) == 0)
        let values = SparseTestMatrices.values(columns, seed: 3)
        let x = (mapped + page - columns * MemoryLayout<Float>.size).bindMemory(to: Float.self, capacity: columns)
        x.update(from: values, count: columns)
        let w = SparseTestMatrices.nm(rows: rows, columns: columns, n: n, m: m, seed: 4)
        let a = try NMMatrix(dense: w, rows: rows, columns: columns, n: n, m: m)
        let want = SparseTestMatrices.product(w, rows: rows, inner: columns, values, k: 1)
        for kernel in [GEMVKernel.best, .portable] {
            var y = [Float](repeating: 0, count: rows)
            y.withUnsafeMutableBufferPointer { a.gemv(x, into: $0.baseAddress!, accumulate: false, threads: 1, kernel: kernel) }
            #expect(SparseTestMatrices.close(y, want), "\(n):\(m) \(kernel)")
        }
    }

    /// The C kernel is chosen exactly when the CPU has what it needs (checked against the
    /// kernel's flags where Linux lists them), so on such machines the tests above run it.
    @Test func theCKernelIsChosenWhereTheCPUHasAVX2FMAAndF16C() throws {
        #if os(Linux) && arch(x86_64)
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set((info.split(separator: "\n").first { $0.hasPrefix("flags") } ?? "").split(separator: " ").map(String.init))
        #expect(GEMVKernel.nativeAvailable == flags.isSuperset(of: ["avx2", "fma", "f16c"]))
        #elseif !arch(x86_64)
        #expect(!GEMVKernel.nativeAvailable)
        #endif
    }

    @Test func theResultDoesNotDependOnTheThreadCount() throws {
        let (rows, columns) = (301, 1024)
        let w = SparseTestMatrices.nm(rows: rows, columns: columns, n: 2, m: 4, seed: 8)
        let x = SparseTestMatrices.values(columns, seed: 9)
        for storage in NMMatrix.Storage.allCases {
            let a = try NMMatrix(dense: w, rows: rows, columns: columns, n: 2, m: 4, storage: storage)
            #expect(try a.multiply(vector: x, threads: 1) == a.multiply(vector: x, threads: 2))
        }
    }
}
