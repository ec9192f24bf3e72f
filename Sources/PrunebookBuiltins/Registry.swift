import PrunebookLanguage

/// The builtin catalogue: every builtin, listed once, category by category (like Lua's
/// `linit.c`). `help`, `docs/builtins.md`, completion and argument checking read from it.
public enum Registry {
    /// All builtins in catalogue order.
    public static let builtins: [Builtin] =
        CreationBuiltins.all
        + ShapeBuiltins.all
        + ElementwiseBuiltins.all
        + ReductionBuiltins.all
        + OrderBuiltins.all
        + LinearAlgebraBuiltins.all
        + CollectionBuiltins.all
        + StringBuiltins.all
        + CoreBuiltins.all
        + MaskBuiltins.all
        + TimingBuiltins.all
        + FileBuiltins.all
        + ModelBuiltins.all
        + CorpusBuiltins.all
        + CalibrationBuiltins.all
        + PruningBuiltins.all
        + GradientBuiltins.all
        + TrainingBuiltins.all
        + SparseGPTBuiltins.all
        + AdaptBuiltins.all
        + TSENORBuiltins.all
        + OSSCARBuiltins.all
        + MaskLLMBuiltins.all
        + ShrinkBuiltins.all
        + HelpBuiltins.all
        + ChartBuiltins.all
        + SparseBuiltins.all

    /// The builtin called `name`, if any.
    public static func builtin(named name: String) -> Builtin? {
        index[name]
    }

    private static let index: [String: Builtin] = {
        var map: [String: Builtin] = [:]
        for builtin in builtins {
            precondition(map[builtin.name] == nil, "builtin `\(builtin.name)` is registered twice")
            map[builtin.name] = builtin
        }
        return map
    }()

    /// Category names in catalogue order.
    public static var categories: [String] {
        var seen: [String] = []
        for builtin in builtins where !seen.contains(builtin.category) { seen.append(builtin.category) }
        return seen
    }
}
