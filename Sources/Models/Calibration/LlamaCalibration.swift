import Dispatch
import TensorModule

/// Calibration for pruning (algorithms.md §1): the inputs every decoder-block linear sees on
/// calibration windows, summed into `InputStatistics`, plus the hidden states between blocks
/// for sequential (block-by-block) calibration.
///
/// Windows: `samples` consecutive non-overlapping windows of `seqlen` tokens from the start of
/// the token stream, each from position 0 with an empty cache. Work is split into a fixed
/// number of contiguous window ranges that run concurrently and are summed in order, so the
/// sums do not depend on thread scheduling.
public enum LlamaCalibration {
    /// Window ranges processed concurrently (fixed, for reproducible sums on any machine).
    static let chunks = 2

    /// The number of whole windows of `seqlen` tokens in `tokenCount`, at most `samples`;
    /// throws when `seqlen` does not fit the model or no window fits.
    public static func windowCount(tokens tokenCount: Int, samples: Int, seqlen: Int, config: LlamaConfig)
        throws(ModelError) -> Int {
        guard samples >= 1 else { throw ModelError("samples: expected at least 1, got \(samples)") }
        guard seqlen >= 1, seqlen <= config.seqLen else {
            throw ModelError("seqlen: expected 1...\(config.seqLen) (the model's seq_len), got \(seqlen)")
        }
        let fit = tokenCount / seqlen
        guard fit >= 1 else {
            throw ModelError("tokens: \(tokenCount) tokens hold no window of seqlen \(seqlen); give more tokens or a smaller seqlen")
        }
        return min(samples, fit)
    }

    /// Block 0's inputs on the calibration windows: `[windows, seqlen, dim]` embedding rows.
    public static func embed(_ weights: LlamaWeights, tokens: [Int32], windows: Int, seqlen: Int) throws(ModelError) -> Tensor {
        let flat = try LlamaFlatWeights(weights)
        let used = Array(tokens.prefix(windows * seqlen))
        guard used.count == windows * seqlen else {
            throw ModelError("tokens: \(windows) windows of \(seqlen) need \(windows * seqlen) tokens, got \(tokens.count)")
        }
        try flat.checkTokens(used, "tokens")
        let dim = flat.config.dim
        var out = [Float](repeating: 0, count: used.count * dim)
        out.withUnsafeMutableBufferPointer { o in
            guard let base = o.baseAddress else { return }
            used.withUnsafeBufferPointer { LlamaForward.embedRows(flat, tokens: $0, into: base) }
        }
        return Tensor(shape: [windows, seqlen, dim], f32: out)
    }

    /// The hidden states leaving block `block` for `hidden` (`[windows, seqlen, dim]`, its
    /// inputs), each window from position 0.
    public static func blockForward(_ weights: LlamaWeights, block: Int, hidden: Tensor) throws(ModelError) -> Tensor {
        let flat = try LlamaFlatWeights(weights)
        let (windows, seqlen) = try checkHidden(hidden, flat, block: block)
        var out = [Float](repeating: 0, count: hidden.count)
        let source = try floats(hidden)
        let dim = flat.config.dim
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let o = buffer
            forEachChunk(windows) { range in
                var ws = LlamaWorkspace(config: flat.config, rows: seqlen, cacheRows: seqlen)
                for w in range {
                    let offset = w * seqlen * dim
                    runBlocks(flat, block..<(block + 1), rows: seqlen, input: source, offset: offset, workspace: &ws,
                              output: o.baseAddress.map { $0 + offset })
                }
            }
        }
        return Tensor(shape: hidden.shape, f32: out)
    }

    /// Statistics of every block's linear inputs from the model as it is, on `windows`
    /// windows of `seqlen` tokens: result `[block][LinearInput.rawValue]`. `progress(done,
    /// total)` runs on the caller's thread after each group of windows and may throw to stop.
    public static func statistics(_ weights: LlamaWeights, tokens: [Int32], windows: Int, seqlen: Int, gram: Bool,
                                  progress: (Int, Int) throws -> Void = { _, _ in }) throws -> [[InputStatistics]] {
        let hidden = try embed(weights, tokens: tokens, windows: windows, seqlen: seqlen)
        let flat = try LlamaFlatWeights(weights)
        return try collect(flat, blocks: 0..<flat.config.nLayers, hidden: hidden, gram: gram, progress: progress)
    }

    /// Statistics of block `block`'s linear inputs when its inputs are `hidden`
    /// (`[windows, seqlen, dim]`): `[LinearInput.rawValue]`.
    public static func statistics(_ weights: LlamaWeights, block: Int, hidden: Tensor, gram: Bool) throws -> [InputStatistics] {
        let flat = try LlamaFlatWeights(weights)
        _ = try checkHidden(hidden, flat, block: block)
        return try collect(flat, blocks: block..<(block + 1), hidden: hidden, gram: gram, progress: { _, _ in })[0]
    }

    /// Runs `blocks` on every window of `hidden`, summing each block's linear inputs.
    private static func collect(_ flat: LlamaFlatWeights, blocks: Range<Int>, hidden: Tensor, gram: Bool,
                                progress: (Int, Int) throws -> Void) throws -> [[InputStatistics]] {
        let windows = hidden.shape[0], seqlen = hidden.shape[1], dim = flat.config.dim
        let source = try floats(hidden)
        @Sendable func empty() -> [[InputStatistics]] {
            blocks.map { b in
                let shape = flat.layers[b].shape
                let widths = [dim, shape.nHeads * flat.config.headSize, dim, shape.hiddenDim]
                return widths.map { InputStatistics(width: $0, gram: gram) }
            }
        }
        var total = empty()
        // Groups of windows between progress reports; each group is split into chunks.
        let group = 16 * chunks
        for first in stride(from: 0, to: windows, by: group) {
            let count = min(group, windows - first)
            var partial = [[[InputStatistics]]](repeating: [], count: chunks)
            partial.withUnsafeMutableBufferPointer { buffer in
                nonisolated(unsafe) let parts = buffer
                let per = (count + chunks - 1) / chunks
                concurrentWindows(chunks) { c in
                    var sums = empty()
                    var ws = LlamaWorkspace(config: flat.config, rows: seqlen, cacheRows: seqlen)
                    let range = (first + c * per)..<min(first + count, first + (c + 1) * per)
                    for w in range {
                        runBlocks(flat, blocks, rows: seqlen, input: source, offset: w * seqlen * dim, workspace: &ws,
                                  output: nil) { b, input, x, rows, _ in
                            sums[b - blocks.lowerBound][input.rawValue].add(x, rows: rows)
                        }
                    }
                    parts[c] = sums
                }
            }
            for part in partial {
                for b in part.indices {
                    for i in part[b].indices { total[b][i].merge(part[b][i]) }
                }
            }
            try progress(first + count, windows)
        }
        return total.map { $0.map { $0.finished() } }
    }

    /// Copies window rows `source[offset..<offset + rows·dim]` into the workspace, runs `blocks`
    /// on them from position 0 (`observe(block, input, x, rows, width)` sees each linear
    /// input), and copies the result to `output` when given.
    private static func runBlocks(_ flat: LlamaFlatWeights, _ blocks: Range<Int>, rows: Int, input source: [Float],
                                  offset: Int, workspace ws: inout LlamaWorkspace, output: UnsafeMutablePointer<Float>?,
                                  observe: ((Int, LinearInput, UnsafePointer<Float>, Int, Int) -> Void)? = nil) {
        let dim = flat.config.dim
        let layout = ws.layout
        ws.storage.withUnsafeMutableBufferPointer { buf in
            guard let base = buf.baseAddress else { return }
            source.withUnsafeBufferPointer { s in
                guard let from = s.baseAddress else { return }
                (base + layout.x).update(from: from + offset, count: rows * dim)
            }
            for b in blocks {
                let observer: LinearInputObserver? = observe.map { o in { input, x, r, width in o(b, input, x, r, width) } }
                LlamaForward.runBlock(flat, b, rows: rows, start: 0, workspace: layout, base: base, observe: observer)
            }
            output?.update(from: base + layout.x, count: rows * dim)
        }
    }

    /// Splits `windows` into `chunks` contiguous ranges run concurrently.
    private static func forEachChunk(_ windows: Int, _ body: @Sendable (Range<Int>) -> Void) {
        let per = (windows + chunks - 1) / chunks
        concurrentWindows(chunks) { c in
            body((c * per)..<min(windows, (c + 1) * per))
        }
    }

    /// Checks `hidden` is `[windows, seqlen, dim]` f32 with `seqlen ≤ seq_len` and `block` a
    /// block index; returns `(windows, seqlen)`.
    private static func checkHidden(_ hidden: Tensor, _ flat: LlamaFlatWeights, block: Int) throws(ModelError) -> (Int, Int) {
        let c = flat.config
        guard block >= 0, block < c.nLayers else {
            throw ModelError("block: expected 0..<\(c.nLayers) (the model's blocks), got \(block)")
        }
        guard hidden.ndim == 3, hidden.shape[2] == c.dim, hidden.shape[0] >= 1, hidden.shape[1] >= 1,
              hidden.shape[1] <= c.seqLen else {
            throw ModelError("hidden: expected shape [windows, seqlen ≤ \(c.seqLen), \(c.dim)], got \(hidden.shape)", kind: .shape)
        }
        return (hidden.shape[0], hidden.shape[1])
    }

    /// The f32 elements of `t`.
    private static func floats(_ t: Tensor) throws(ModelError) -> [Float] {
        guard case .f32(let values) = t.data else { throw ModelError("hidden: expected f32, got \(t.dtype.rawValue)") }
        return values
    }
}
