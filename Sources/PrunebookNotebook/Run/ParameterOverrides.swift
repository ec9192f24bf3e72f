import PrunebookLanguage

/// `-p name=value` overrides: each value must be a Prunebook literal (number, string, bool,
/// nil, or a list/record of literals), as papermill takes parameters.
enum ParameterOverrides {
    /// Checks `text` is a literal and returns the assignment source `name = text`.
    static func assignment(name: String, value text: String) throws -> String {
        guard name.range(of: "^[A-Za-z_][A-Za-z0-9_]*$", options: .regularExpression) != nil else {
            throw PrunebookError(.value, "parameter name `\(name)` is not an identifier")
        }
        var parser = try Parser(source: SourceFile(name: "-p \(name)", text: text))
        let program = try parser.parseProgram()
        guard program.statements.count == 1, case .expression(let expression) = program.statements[0].kind,
              isLiteral(expression) else {
            throw PrunebookError(.value, "parameter `\(name)`: `\(text)` is not a literal (use a number, a \"string\", true/false, nil, or a list or record of those)")
        }
        return "\(name) = \(text)"
    }

    static func isLiteral(_ expression: Expr) -> Bool {
        switch expression.kind {
        case .number, .string, .bool, .nilLiteral: return true
        case .list(let items): return items.allSatisfy(isLiteral)
        case .record(let fields): return fields.allSatisfy { isLiteral($0.value) }
        default: return false
        }
    }
}
