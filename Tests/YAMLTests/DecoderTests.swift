import Foundation
import Testing
import YAML

private struct Box<T: Decodable>: Decodable {
    var v: T
}

@Suite struct DecoderTests {
    // MARK: Scalar typing

    @Test(arguments: [
        ("100", 100), ("-7", -7), ("+7", 7), ("1_000", 1000), ("0x1F", 31), ("0o17", 15), ("017", 15),
        ("0b101", 5), ("1e3", 1000), ("2.0", 2), ("\"42\"", 42), ("'0x10'", 16),
    ])
    func integers(yaml: String, expected: Int) throws {
        #expect(try YAMLDecoder().decode(Box<Int>.self, from: "v: \(yaml)").v == expected)
    }

    @Test(arguments: [
        ("3.5", 3.5), ("1e3", 1000), ("-1.5E-2", -0.015), (".5", 0.5), ("1_000.25", 1000.25), ("7", 7), ("0x10", 16),
        (".inf", Double.infinity), ("-.Inf", -Double.infinity), ("\"2.5\"", 2.5),
    ])
    func doubles(yaml: String, expected: Double) throws {
        #expect(try YAMLDecoder().decode(Box<Double>.self, from: "v: \(yaml)").v == expected)
    }

    @Test func notANumber() throws {
        #expect(try YAMLDecoder().decode(Box<Double>.self, from: "v: .nan").v.isNaN)
        #expect(try YAMLDecoder().decode(Box<Float>.self, from: "v: .NaN").v.isNaN)
        #expect(try YAMLDecoder().decode(Box<Float>.self, from: "v: 0.25").v == 0.25)
    }

    @Test(arguments: [
        ("true", true), ("True", true), ("TRUE", true), ("false", false), ("False", false), ("FALSE", false),
        ("yes", true), ("No", false), ("on", true), ("OFF", false), ("\"true\"", true),
    ])
    func booleans(yaml: String, expected: Bool) throws {
        #expect(try YAMLDecoder().decode(Box<Bool>.self, from: "v: \(yaml)").v == expected)
    }

    /// A string field keeps exactly what was written, whatever it looks like.
    @Test(arguments: [
        ("100", "100"), ("3.5", "3.5"), ("\"3.5\"", "3.5"), ("3.50", "3.50"), ("0x1F", "0x1F"), ("yes", "yes"),
        ("true", "true"), ("0644", "0644"), ("1e3", "1e3"), ("'~'", "~"), ("\"\"", ""), (".inf", ".inf"),
        ("2024-01-01", "2024-01-01"), ("a: b", "a: b"),
    ])
    func strings(yaml: String, expected: String) throws {
        let text = yaml == "a: b" ? "v: \"a: b\"" : "v: \(yaml)"
        #expect(try YAMLDecoder().decode(Box<String>.self, from: text).v == expected)
    }

    @Test func nullsAndOptionals() throws {
        struct Optionals: Decodable {
            var missing: String?
            var empty: String?
            var tilde: Int?
            var null: [String]?
            var quoted: String?
            var tagged: String?
        }
        let value = try YAMLDecoder().decode(
            Optionals.self, from: "empty:\ntilde: ~\nnull: NULL\nquoted: \"null\"\ntagged: !!null x\n")
        #expect(value.missing == nil)
        #expect(value.empty == nil)
        #expect(value.tilde == nil)
        #expect(value.null == nil)
        #expect(value.quoted == "null")
        #expect(value.tagged == nil)
        #expect(try YAMLDecoder().decode(String?.self, from: "") == nil)
        #expect(try YAMLDecoder().decode([Int?].self, from: "[1, null, ~, 4]") == [1, nil, nil, 4])
    }

    @Test func collections() throws {
        #expect(try YAMLDecoder().decode([String: Int].self, from: "a: 1\nb: 0x2") == ["a": 1, "b": 2])
        #expect(try YAMLDecoder().decode([[String]].self, from: "- [a, b]\n- []\n") == [["a", "b"], []])
        #expect(try YAMLDecoder().decode([Int: String].self, from: "1: one\n2: two") == [1: "one", 2: "two"])
        #expect(try YAMLDecoder().decode(Set<String>.self, from: "[x, y, x]") == ["x", "y"])
    }

    @Test func fixedWidthIntegersCheckTheirRange() throws {
        #expect(try YAMLDecoder().decode(Box<UInt8>.self, from: "v: 255").v == 255)
        let error = try #require(throws: YAMLError.self) { try YAMLDecoder().decode(Box<UInt8>.self, from: "v: 256") }
        #expect(error.description == "line 1, column 4 (v): expected UInt8, found \"256\" (out of range)")
        #expect(throws: YAMLError.self) { try YAMLDecoder().decode(Box<UInt>.self, from: "v: -1") }
        #expect(throws: YAMLError.self) { try YAMLDecoder().decode(Box<Int64>.self, from: "v: 99999999999999999999") }
        #expect(throws: YAMLError.self) { try YAMLDecoder().decode(Box<Int>.self, from: "v: 3.5") }
        #expect(throws: YAMLError.self) { try YAMLDecoder().decode(Box<Float>.self, from: "v: 1e300") }
    }

    // MARK: Errors

    @Test func typeMismatchNamesLineColumnAndPath() throws {
        struct Cluster: Decodable {
            var id: String
            var weight: Int
        }
        struct Config: Decodable { var sparkClusters: [Cluster] }
        let text = """
            sparkClusters:
              - id: c01
                weight: 100
              - id: c02
                weight: 50
              - id: c03
                weight: abc
            """
        let error = try #require(throws: YAMLError.self) { try YAMLDecoder().decode(Config.self, from: text) }
        #expect(error.description == "line 7, column 13 (sparkClusters[2].weight): expected Int, found \"abc\"")
        #expect(error.code == .typeMismatch)
        #expect((error.line, error.column) == (7, 13))
        #expect(error.path == "sparkClusters[2].weight")
        #expect(error.message == "expected Int, found \"abc\"")
        guard case .typeMismatch(let type, let context) = try #require(error.decodingError) else {
            Issue.record("expected a DecodingError.typeMismatch, got \(String(describing: error.decodingError))")
            return
        }
        #expect(type is Int.Type)
        #expect(context.codingPath.map(\.stringValue) == ["sparkClusters", "Index 2", "weight"])
        #expect(context.debugDescription.contains("line 7"))
    }

    @Test func missingKeyNamesTheMapping() throws {
        struct Cluster: Decodable {
            var id: String
            var masterUrl: String
        }
        let error = try #require(throws: YAMLError.self) {
            try YAMLDecoder().decode([Cluster].self, from: "- id: a\n  masterUrl: u\n- id: b\n")
        }
        #expect(error.description == "line 3, column 3 ([1]): missing required key \"masterUrl\"")
        #expect(error.code == .keyNotFound)
        guard case .keyNotFound(let key, _) = error.decodingError else {
            Issue.record("not keyNotFound: \(String(describing: error.decodingError))")
            return
        }
        #expect(key.stringValue == "masterUrl")
    }

    @Test func shapeMismatchesAndNulls() throws {
        struct Spec: Decodable {
            var driver: [String: String]
            var args: [String]
            var name: String
        }
        let cases: [(String, String)] = [
            ("driver: [a]\nargs: []\nname: x", "line 1, column 9 (driver): expected a mapping, found a sequence"),
            ("driver: {}\nargs: a\nname: x", "line 2, column 7 (args): expected a sequence, found \"a\""),
            ("driver: {}\nargs: []\nname: {a: 1}", "line 3, column 7 (name): expected String, found a mapping"),
            ("driver: {}\nargs: []\nname: ~", "line 3, column 7 (name): expected String, found null"),
            ("driver: {}\nargs: [[x]]\nname: a", "line 2, column 8 (args[0]): expected String, found a sequence"),
            ("- 1", "line 1, column 1: expected a mapping, found a sequence"),
        ]
        for (yaml, description) in cases {
            let error = try #require(throws: YAMLError.self) { try YAMLDecoder().decode(Spec.self, from: yaml) }
            #expect(error.description == description)
        }
    }

    @Test func errorsThrownByTheTypeItselfArePositioned() throws {
        struct Memory: Decodable {
            var megabytes: Int
            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                let text = try container.decode(String.self)
                guard text.hasSuffix("m"), let value = Int(text.dropLast()) else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "memory must look like 512m, found \(text)")
                }
                megabytes = value
            }
        }
        struct Driver: Decodable { var memory: Memory }
        #expect(try YAMLDecoder().decode(Driver.self, from: "memory: 512m").memory.megabytes == 512)
        let error = try #require(throws: YAMLError.self) {
            try YAMLDecoder().decode([String: Driver].self, from: "driver:\n  memory: 2 gigs\n")
        }
        #expect(error.description == "line 2, column 11 (driver.memory): memory must look like 512m, found 2 gigs")
        #expect(error.code == .dataCorrupted)
    }

    @Test func parseErrorsComeThroughTheDecoder() throws {
        let error = try #require(throws: YAMLError.self) { try YAMLDecoder().decode([String: Int].self, from: "a: 1\nb: [2\n") }
        #expect(error.code == .syntax)
        #expect(error.line == 3)
    }

    // MARK: Decoder features

    @Test func nestedContainersSuperDecoderAndCodingPath() throws {
        final class Base: Decodable {
            let name: String
            required init(from decoder: any Decoder) throws {
                name = try decoder.container(keyedBy: AnyKey.self).decode(String.self, forKey: AnyKey("name"))
            }
        }
        struct Custom: Decodable {
            var first: String
            var pairs: [[Int]]
            var baseName: String
            var superName: String
            var path: [String]
            var elementPath: [String]
            init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: AnyKey.self)
                let meta = try container.nestedContainer(keyedBy: AnyKey.self, forKey: AnyKey("meta"))
                first = try meta.decode(String.self, forKey: AnyKey("first"))
                var list = try container.nestedUnkeyedContainer(forKey: AnyKey("pairs"))
                #expect(list.count == 2)
                var pairs: [[Int]] = []
                while !list.isAtEnd {
                    var pair = try list.nestedUnkeyedContainer()
                    pairs.append([try pair.decode(Int.self), try pair.decode(Int.self)])
                    #expect(pair.isAtEnd)
                }
                self.pairs = pairs
                baseName = try Base(from: container.superDecoder(forKey: AnyKey("base"))).name
                superName = try Base(from: container.superDecoder()).name
                path = meta.codingPath.map(\.stringValue)
                var again = try container.nestedUnkeyedContainer(forKey: AnyKey("pairs"))
                elementPath = try again.superDecoder().codingPath.map(\.stringValue)
            }
        }
        let value = try YAMLDecoder().decode(
            Custom.self,
            from: """
                meta: {first: one}
                pairs: [[1, 2], [3, 4]]
                base: {name: b}
                super: {name: s}
                """)
        #expect(value.first == "one")
        #expect(value.pairs == [[1, 2], [3, 4]])
        #expect(value.baseName == "b")
        #expect(value.superName == "s")
        #expect(value.path == ["meta"])
        #expect(value.elementPath == ["pairs", "Index 0"])
    }

    @Test func unkeyedContainerPastTheEnd() throws {
        struct Pair: Decodable {
            var a: Int
            var b: Int
            init(from decoder: any Decoder) throws {
                var container = try decoder.unkeyedContainer()
                a = try container.decode(Int.self)
                b = try container.decode(Int.self)
            }
        }
        let error = try #require(throws: YAMLError.self) { try YAMLDecoder().decode(Pair.self, from: "\n[1]") }
        #expect(error.code == .valueNotFound)
        #expect(error.line == 2)
        #expect(error.message.contains("index 1"))
    }

    @Test func enumsAndRawValues() throws {
        enum Mode: String, Decodable { case cluster, client }
        enum Level: Int, Decodable { case low = 1, high = 2 }
        struct Spec: Decodable {
            var mode: Mode
            var level: Level
        }
        let spec = try YAMLDecoder().decode(Spec.self, from: "mode: cluster\nlevel: 2")
        #expect(spec.mode == .cluster)
        #expect(spec.level == .high)
        let error = try #require(throws: YAMLError.self) { try YAMLDecoder().decode(Spec.self, from: "mode: batch\nlevel: 1") }
        #expect(error.line == 1)
        #expect(error.path == "mode")
        #expect(error.description.contains("batch"))
    }

    @Test func userInfoReachesTheDecodedType() throws {
        let key = try #require(CodingUserInfoKey(rawValue: "prefix"))
        struct Named: Decodable {
            var name: String
            init(from decoder: any Decoder) throws {
                let prefix = decoder.userInfo[CodingUserInfoKey(rawValue: "prefix")!] as? String ?? ""
                name = prefix + (try decoder.singleValueContainer().decode(String.self))
            }
        }
        var decoder = YAMLDecoder()
        decoder.userInfo[key] = "c-"
        #expect(try decoder.decode(Named.self, from: "one").name == "c-one")
    }

    @Test func aFieldCanHoldARawNode() throws {
        struct Request: Decodable {
            var name: String
            var podTemplate: YAMLNode
        }
        let request = try YAMLDecoder().decode(Request.self, from: "name: a\npodTemplate:\n  z: 1\n  a: [x]\n")
        #expect(request.podTemplate.keys == ["z", "a"])
        #expect(request.podTemplate.mark == YAMLMark(line: 3, column: 3))
        // Through JSONDecoder too.
        let viaJSON = try JSONDecoder().decode(YAMLNode.self, from: Data(#"{"a":[1,"x",true,null,2.5]}"#.utf8))
        #expect(viaJSON["a"]?.sequence?.elements == [.scalar(YAMLScalar("1")), "x", .scalar(YAMLScalar("true")), nil, .scalar(YAMLScalar("2.5"))])
    }

    @Test func decodesFromData() throws {
        #expect(try YAMLDecoder().decode([String: String].self, from: Data("a: b\n".utf8)) == ["a": "b"])
    }

    @Test func strictModeAcceptsEveryKeyReadAndDictionaries() throws {
        struct Config: Decodable {
            var name: String
            var optional: Int?
            var conf: [String: String]
        }
        var decoder = YAMLDecoder()
        decoder.rejectsUnknownKeys = true
        let config = try decoder.decode(Config.self, from: "name: a\nconf: {x: y, z: w}\n")
        #expect(config.conf.count == 2)
        let error = try #require(throws: YAMLError.self) {
            try decoder.decode([Config].self, from: "- name: a\n  conf: {}\n  nmae: typo\n  other: 1\n")
        }
        #expect(error.description == "line 3, column 3 ([0]): unknown key \"nmae\"")
        // Without strict mode the same document decodes.
        #expect(try YAMLDecoder().decode([Config].self, from: "- name: a\n  conf: {}\n  nmae: typo\n").count == 1)
    }

    // MARK: JSON

    @Test func convertsToJSON() throws {
        let node = try YAML.parseDocument(
            """
            name: spark
            weight: 100
            ratio: 1.50
            big: 1e3
            hex: 0x1F
            flag: true
            yesIsText: yes
            quoted: "100"
            nothing: ~
            list: [a, 1, {b: "line\\nbreak"}]
            """)
        let json = try node.jsonData()
        #expect(
            String(decoding: json, as: UTF8.self)
                == #"{"name":"spark","weight":100,"ratio":1.50,"big":1e3,"hex":31,"flag":true,"yesIsText":"yes","quoted":"100","nothing":null,"list":["a",1,{"b":"line\nbreak"}]}"#
        )
        let object = try #require(node.jsonObject() as? [String: Any])
        #expect(object["weight"] as? Int == 100)
        #expect(object["ratio"] as? Double == 1.5)
        #expect(object["flag"] as? Bool == true)
        #expect(object["quoted"] as? String == "100")
        #expect(object["nothing"] is NSNull)
        #expect((object["list"] as? [Any])?.count == 3)
        // Round trip through Foundation's parser.
        let reparsed = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any])
        #expect(reparsed["hex"] as? Int == 31)

        let error = try #require(throws: YAMLError.self) { try YAML.parseDocument("a:\n  b: .inf").jsonData() }
        #expect(error.code == .notRepresentable)
        #expect(error.line == 2)
    }
}

private struct AnyKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

@Suite struct EncodableNodeTests {
    @Test func encodesWithJSONTyping() throws {
        let node = try YAML.parseDocument("b: [1, '2', 2.5, true, yes, ~]\na: {x: 0x10}\n")
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(node), as: UTF8.self)
        #expect(json == #"{"a":{"x":16},"b":[1,"2",2.5,true,"yes",null]}"#)
    }
}
