/// A compiled block of statements (a function body, the branch of an `if`, a loop body).
/// The statements are held strongly, and also as unmanaged references for the loop that
/// runs them: as long as the block exists its array keeps every node alive, so running a
/// statement needs no reference counting, which would otherwise cost a retain and a release
/// per statement executed.
struct StatementBlock {
    /// The statements in order.
    let statements: [StmtNode]
    /// The same statements, unretained.
    private let unmanaged: [Unmanaged<StmtNode>]

    /// A block of `statements`.
    init(_ statements: [StmtNode]) {
        self.statements = statements
        self.unmanaged = statements.map { Unmanaged.passUnretained($0) }
    }

    /// Runs the statements in order, stopping at the first flow that is not `.normal`.
    @inline(__always)
    func run(_ frame: Frame, _ context: RunContext) throws -> Flow {
        try unmanaged.withUnsafeBufferPointer { nodes in
            for node in nodes {
                let flow = try node._withUnsafeGuaranteedRef { try $0.execute(frame, context) }
                if case .normal = flow { continue }
                return flow
            }
            return .normal
        }
    }
}
