import Foundation
import Testing
import YAML

@Suite struct ParserTests {
    @Test func emptyInputIsOneNullDocumentOrNone() throws {
        #expect(try YAML.parse("").isEmpty)
        #expect(try YAML.parse("# only a comment\n").isEmpty)
        #expect(try YAML.parseDocument("").isNull)
        #expect(try YAML.parseDocument("---\n").isNull)
    }

    @Test func multipleDocuments() throws {
        let documents = try YAML.parse(
            """
            kind: Namespace
            ---
            kind: ServiceAccount
            ...
            ---
            - 1
            --- plain
            """)
        #expect(documents.count == 4)
        #expect(documents[0]["kind"] == .scalar(YAMLScalar("Namespace")))
        #expect(documents[1]["kind"]?.scalar?.text == "ServiceAccount")
        #expect(documents[2] == .sequence(YAMLSequence([.scalar(YAMLScalar("1"))])))
        #expect(documents[3].scalar?.text == "plain")
        #expect(documents[1].mark.line == 3)

        let error = try #require(throws: YAMLError.self) { try YAML.parseDocument("a: 1\n---\nb: 2\n") }
        #expect(error.code == .documentCount)
        #expect(error.line == 3)
    }

    @Test func scalarsKeepTheirTextStyleAndTag() throws {
        let node = try YAML.parseDocument(
            """
            plain: 3.50
            single: 'it''s'
            double: "tab\\there \\u00e9"
            tagged: !!str 100
            custom: !Ref name
            nothing:
            tilde: ~
            quotedNull: "null"
            """)
        #expect(node["plain"] == .scalar(YAMLScalar("3.50")))
        #expect(node["single"] == .scalar(YAMLScalar("it's", style: .singleQuoted)))
        #expect(node["double"]?.scalar?.text == "tab\there é")
        #expect(node["tagged"] == .scalar(YAMLScalar("100", tag: "tag:yaml.org,2002:str")))
        #expect(node["tagged"]?.scalar?.isPlain == false)
        #expect(node["custom"]?.scalar?.tag == "!Ref")
        #expect(node["nothing"]?.isNull == true)
        #expect(node["tilde"]?.isNull == true)
        #expect(node["quotedNull"] == .scalar(YAMLScalar("null", style: .doubleQuoted)))
    }

    @Test func nodesRememberWhereTheyStart() throws {
        let node = try YAML.parseDocument(
            """
            # comment
            outer:
              list:
                - first
                - {k: v}
            """)
        let list = try #require(node["outer"]?["list"]?.sequence)
        #expect(list.mark == YAMLMark(line: 4, column: 5))
        #expect(list[0].mark == YAMLMark(line: 4, column: 7))
        #expect(list[1].mark == YAMLMark(line: 5, column: 7))
        #expect(list[1]["k"]?.mark == YAMLMark(line: 5, column: 11))
    }

    @Test func mappingsKeepSourceOrderAndTopLevelKeys() throws {
        let node = try YAML.parseDocument("zeta: 1\nalpha: 2\nmid: {b: 1, a: 2}\n")
        #expect(node.keys == ["zeta", "alpha", "mid"])
        #expect(node["mid"]?.keys == ["b", "a"])
        #expect(node["zeta"]?.keys == nil)
    }

    @Test func flowStyle() throws {
        let node = try YAML.parseDocument(
            """
            {name: spark, versions: [3.2, "3.5"], nested: {empty: [], map: {}}, "quoted key": yes}
            """)
        let expected: YAMLNode = [
            "name": .scalar(YAMLScalar("spark")),
            "versions": [.scalar(YAMLScalar("3.2")), "3.5"],
            "nested": ["empty": [], "map": [:]],
            "quoted key": .scalar(YAMLScalar("yes")),
        ]
        #expect(node.keys == expected.keys)
        #expect(node["quoted key"]?.scalar?.text == "yes")
        #expect(node.mapping?.entries.last?.key.scalar?.style == .doubleQuoted)
        for key in ["name", "versions", "nested"] {
            #expect(node[key] == expected[key])
        }
    }

    @Test func commentsAreIgnoredButHashesInsideValuesAreNot() throws {
        let node = try YAML.parseDocument(
            """
            # leading
            url: http://host/#anchor   # trailing
            color: "#fff"
            list:
              # between items
              - a # after
              - b#c
            """)
        #expect(node["url"]?.scalar?.text == "http://host/#anchor")
        #expect(node["color"]?.scalar?.text == "#fff")
        #expect(node["list"] == [.scalar(YAMLScalar("a")), .scalar(YAMLScalar("b#c"))])
    }

    @Test(arguments: [
        // (YAML, expected text)
        ("v: |\n  line 1\n  line 2\n\n", "line 1\nline 2\n"),
        ("v: |-\n  line 1\n  line 2\n\n", "line 1\nline 2"),
        ("v: |+\n  line 1\n  line 2\n\nw: 1\n", "line 1\nline 2\n\n"),
        ("v: >\n  folded\n  text\n\n  new para\n", "folded text\nnew para\n"),
        ("v: >-\n  folded\n  text\n", "folded text"),
        ("v: >+\n  kept\n\n", "kept\n\n"),
        ("v: |2\n    indented\n  less\n", "  indented\nless\n"),
        ("v: >\n  a\n    more indented\n  b\n", "a\n  more indented\nb\n"),
        ("v: plain\n  continued\n  lines\n", "plain continued lines"),
        ("v: \"double \\\n  escaped newline\"\n", "double escaped newline"),
    ])
    func multiLineStrings(yaml: String, expected: String) throws {
        let node = try YAML.parseDocument(yaml)
        #expect(node["v"]?.scalar?.text == expected)
    }

    @Test func literalBlockStyleIsRecorded() throws {
        let node = try YAML.parseDocument("a: |\n  x\nb: >\n  y\n")
        #expect(node["a"]?.scalar?.style == .literal)
        #expect(node["b"]?.scalar?.style == .folded)
    }

    @Test func anchorsAndAliasesCopyTheAnchoredNode() throws {
        let node = try YAML.parseDocument(
            """
            base: &base
              image: spark:3.5
              env: [A, B]
            copy: *base
            scalar: &s hello
            again: *s
            list: [*s, *base]
            """)
        #expect(node["copy"] == node["base"])
        #expect(node["again"]?.scalar?.text == "hello")
        #expect(node["list"]?.sequence?.elements == [node["again"]!, node["base"]!])
    }

    @Test func anchorsAreScopedToTheirDocument() throws {
        let error = try #require(throws: YAMLError.self) { try YAML.parse("a: &x 1\n---\nb: *x\n") }
        #expect(error.code == .undefinedAlias)
        #expect(error.line == 3)
    }

    @Test func mergeKeysMergeMappingsWithExplicitKeysWinning() throws {
        let node = try YAML.parseDocument(
            """
            defaults: &defaults
              cores: 1
              memory: 2g
            gpu: &gpu
              memory: 8g
              gpus: 1
            driver:
              <<: *defaults
              memory: 4g
            executor:
              <<: [*gpu, *defaults]
              instances: 3
            inline:
              <<: {a: 1}
              b: 2
            """)
        #expect(node["driver"]?.keys == ["cores", "memory"])
        #expect(node["driver"]?["memory"]?.scalar?.text == "4g")
        #expect(node["executor"]?.keys == ["memory", "gpus", "cores", "instances"])
        #expect(node["executor"]?["memory"]?.scalar?.text == "8g")
        #expect(node["inline"]?.keys == ["a", "b"])
        // A quoted "<<" is an ordinary key.
        #expect(try YAML.parseDocument("\"<<\": 1").keys == ["<<"])
    }

    @Test func aliasBombIsRejected() throws {
        var text = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
        var previous = "a"
        for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
            let aliases = Array(repeating: "*\(previous)", count: 9).joined(separator: ", ")
            text += "\(name): &\(name) [\(aliases)]\n"
            previous = name
        }
        let error = try #require(throws: YAMLError.self) { try YAML.parse(text) }
        #expect(error.code == .limitExceeded)
        #expect(error.message.contains("alias"))
        #expect((4...9).contains(error.line))

        // A modest amount of reuse is fine.
        #expect(try YAML.parse("a: &a [1, 2]\nb: [*a, *a, *a]\n").count == 1)
    }

    @Test func aliasExpansionLimitIsConfigurable() throws {
        let text = "a: &a [1, 2, 3]\nb: [*a, *a]\n"
        #expect(throws: YAMLError.self) { try YAML.parse(text, limits: YAML.Limits(maxAliasExpansion: 7)) }
        #expect(try YAML.parse(text, limits: YAML.Limits(maxAliasExpansion: 8)).count == 1)
    }

    @Test func deepNestingIsRejected() throws {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        let error = try #require(throws: YAMLError.self) { try YAML.parse(deep) }
        #expect(error.code == .limitExceeded)
        #expect(error.line == 1)
        #expect(error.column == 129)
        #expect(try YAML.parse(String(repeating: "[", count: 100) + String(repeating: "]", count: 100)).count == 1)
        // Aliases cannot be used to exceed the depth either.
        let nested = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        let viaAlias = "a: &a \(nested)\nb: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[*a]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n"
        #expect(throws: YAMLError.self) { try YAML.parse(viaAlias) }
    }

    @Test func bytesInUTF16WithByteOrderMarkAreParsed() throws {
        var data = Data([0xFF, 0xFE])
        data.append("key: välue\n".data(using: .utf16LittleEndian)!)
        #expect(try YAML.parseDocument(data)["key"]?.scalar?.text == "välue")
    }
}
