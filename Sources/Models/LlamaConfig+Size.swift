extension LlamaConfig {
    /// The number of weights a model of this shape holds (embedding, every block's
    /// projections and norms, the final norm and, when untied, the classifier), nil when it
    /// does not fit in an `Int` (a config far too large to allocate).
    public var parameterCount: Int? {
        var total = 0
        var overflow = false
        func add(_ factors: Int...) {
            var product = 1
            for factor in factors {
                let (next, didOverflow) = product.multipliedReportingOverflow(by: factor)
                product = next
                overflow = overflow || didOverflow
            }
            let (sum, didOverflow) = total.addingReportingOverflow(product)
            total = sum
            overflow = overflow || didOverflow
        }
        add(vocabSize, dim, tiedEmbeddings ? 1 : 2)
        for block in blocks {
            add(2, block.nHeads, headSize, dim)
            add(2, block.nKVHeads, headSize, dim)
            add(3, block.hiddenDim, dim)
            add(2, dim)
        }
        add(dim)
        return overflow ? nil : total
    }
}
