@testable import PrunebookLanguage
import Testing

@Suite struct ParserTests {
    func parse(_ text: String) throws -> Program {
        var parser = try Parser(source: SourceFile(name: "t", text: text))
        return try parser.parseProgram()
    }

    func expression(_ text: String) throws -> Expr {
        let program = try parse(text)
        guard case .expression(let e)? = program.statements.last?.kind else {
            Issue.record("expected an expression statement")
            return Expr(kind: .nilLiteral, offset: 0)
        }
        return e
    }

    @Test func powerIsRightAssociativeAndBindsTighterThanUnaryMinus() throws {
        let e = try expression("-2 ** 3 ** 2")
        guard case .unary(.negate, let inner) = e.kind, case .binary(.power, _, let right) = inner.kind,
              case .binary(.power, _, _) = right.kind else {
            Issue.record("wrong tree for -2 ** 3 ** 2: \(e.kind)")
            return
        }
    }

    @Test func matmulSharesPrecedenceWithMultiplication() throws {
        let e = try expression("a + b @ c * d")
        guard case .binary(.add, _, let right) = e.kind, case .binary(.multiply, let left, _) = right.kind,
              case .binary(.matmul, _, _) = left.kind else {
            Issue.record("wrong tree for a + b @ c * d")
            return
        }
    }

    @Test func newlinesInsideBracketsAndAfterOperatorsContinueTheStatement() throws {
        let program = try parse("x = [1,\n 2] +\n  [3]\ny = f(a,\n b: 2)")
        #expect(program.statements.count == 2)
    }

    @Test func braceAfterForIterableStartsTheBlockAndBraceInExpressionIsARecord() throws {
        let program = try parse("for k, v in {a: 1} { print(k) }")
        guard case .forLoop(let variables, let iterable, let body) = program.statements[0].kind,
              case .record = iterable.kind else {
            Issue.record("expected a for loop over a record literal")
            return
        }
        #expect(variables.count == 2)
        #expect(body.count == 1)
    }

    @Test func trailingSemicolonSuppressesDisplay() throws {
        #expect(try parse("x = 1\nx").displaysLast)
        #expect(try !parse("x = 1\nx;").displaysLast)
        #expect(try !parse("x = 1").displaysLast)
    }

    @Test func docCommentsAttachToTheFunction() throws {
        let program = try parse("## Adds one.\n## Really.\nfn inc(x) { return x + 1 }")
        guard case .function(let decl) = program.statements[0].kind else {
            Issue.record("expected a function")
            return
        }
        #expect(decl.doc == "Adds one.\nReally.")
    }

    @Test func elseOnTheNextLineContinuesTheIf() throws {
        let program = try parse("if a {\n 1\n}\nelse {\n 2\n}")
        guard case .ifElse(_, _, let otherwise) = program.statements[0].kind else {
            Issue.record("expected if")
            return
        }
        #expect(otherwise?.count == 1)
    }

    @Test func nestingBeyondTheLimitIsALimitError() {
        let text = String(repeating: "(", count: 50) + "1" + String(repeating: ")", count: 50)
        #expect(throws: PrunebookError.self) {
            var parser = try Parser(source: SourceFile(name: "t", text: text), maxDepth: 20)
            _ = try parser.parseProgram()
        }
    }

    @Test func syntaxErrorReportsLineAndColumn() {
        do {
            _ = try parse("x = 1\ny = (2 +\n")
            Issue.record("expected a syntax error")
        } catch let error as PrunebookError {
            #expect(error.kind == .syntax)
            #expect(error.location?.line == 2)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func assignmentToACallIsRejected() {
        #expect(throws: PrunebookError.self) { try parse("f(x) = 3") }
    }
}
