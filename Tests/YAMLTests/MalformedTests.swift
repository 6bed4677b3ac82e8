import Testing
import YAML

@Suite struct MalformedTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var yaml: String
        var line: Int
        var code: YAMLError.Code = .syntax
        var messageContains: String = ""
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "bad indentation of a mapping value", yaml: "a:\n  b: 1\n c: 2\n", line: 3, messageContains: "did not find expected key"),
        Case(name: "over-indented key", yaml: "a: 1\n  b: 2\n", line: 2, messageContains: "mapping values are not allowed"),
        Case(name: "unclosed double quote", yaml: "a: 1\nb: \"open\nc: 3\n", line: 4, messageContains: "quoted scalar"),
        Case(name: "unclosed single quote", yaml: "a: 'x\n", line: 2, messageContains: "quoted scalar"),
        Case(name: "unclosed flow sequence", yaml: "a: [1, 2\nb: 3\n", line: 2, messageContains: "flow sequence (started at line 1, column 4)"),
        Case(name: "unclosed flow mapping", yaml: "a: {x: 1\n", line: 2),
        Case(name: "tab indentation", yaml: "a:\n\tb: 1\n", line: 2, messageContains: "cannot start any token"),
        Case(name: "undefined alias", yaml: "a: 1\nb: *missing\n", line: 2, code: .undefinedAlias, messageContains: "*missing"),
        Case(name: "duplicate anchor", yaml: "a: &x 1\nb: &x 2\n", line: 2, code: .duplicateAnchor, messageContains: "line 1, column 4"),
        Case(name: "duplicate key", yaml: "a: 1\nb: 2\na: 3\n", line: 3, code: .duplicateKey, messageContains: "\"a\" (first at line 1, column 1)"),
        Case(name: "merge of a scalar", yaml: "a:\n  <<: 5\n", line: 2, code: .invalidMerge),
        Case(name: "mapping value in a plain scalar", yaml: "a: b: c\n", line: 1, messageContains: "mapping values are not allowed"),
        Case(name: "block entry inside a mapping", yaml: "a: 1\n- b\n", line: 2),
        Case(name: "unknown escape", yaml: "a: \"\\q\"\n", line: 1, messageContains: "escape"),
        Case(name: "invalid UTF-8", yaml: "a: 1\nb: \u{FFFF}\n", line: 2, messageContains: "invalid input"),
        Case(name: "unclosed flow in a later document", yaml: "a: 1\n---\nb: [1\n", line: 4),
    ]

    @Test(arguments: cases)
    func reportsTheLine(_ testCase: Case) throws {
        let error = try #require(throws: YAMLError.self) { try YAML.parse(testCase.yaml) }
        #expect(error.code == testCase.code, "\(error)")
        #expect(error.line == testCase.line, "\(error)")
        #expect(error.column >= 1)
        if !testCase.messageContains.isEmpty {
            #expect(error.message.contains(testCase.messageContains), "\(error)")
        }
        #expect(error.description.hasPrefix("line \(testCase.line), column \(error.column): "))
    }
}
