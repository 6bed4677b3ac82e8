import JSON
import Testing

@testable import KubeSimulator

struct LabelSelectorTests {
    static let labels = ["app": "pi", "tier": "batch", "spark-role": "driver", "version": "3", "empty": ""]

    @Test(arguments: [
        ("", true),
        ("app=pi", true),
        ("app==pi", true),
        ("app=other", false),
        ("app!=other", true),
        ("app!=pi", false),
        ("missing!=x", true),  // != matches objects without the label
        ("app in (pi, other)", true),
        ("app in (x,y)", false),
        ("app notin (x, y)", true),
        ("app notin (pi)", false),
        ("missing notin (x)", true),  // notin matches objects without the label
        ("missing in (x)", false),
        ("app", true),
        ("missing", false),
        ("!missing", true),
        ("!app", false),
        ("app=pi,tier=batch", true),
        ("app=pi,tier=online", false),
        ("app=pi, spark-role in (driver,executor), !missing", true),
        ("version>2", true),
        ("version<3", false),
        ("empty=", true),
        ("empty in (,x)", true),
        ("  app  =  pi  ", true),
        ("sparkoperator.k8s.io/app-name", false),
    ])
    func matching(selector: String, expected: Bool) throws {
        let parsed = try LabelSelector(parsing: selector)
        #expect(parsed.matches(Self.labels) == expected, "\(selector)")
    }

    @Test func prefixedKeys() throws {
        let selector = try LabelSelector(parsing: "sparkoperator.k8s.io/app-name=my-app,spark-role=driver")
        #expect(selector.matches(["sparkoperator.k8s.io/app-name": "my-app", "spark-role": "driver"]))
        #expect(!selector.matches(["sparkoperator.k8s.io/app-name": "other", "spark-role": "driver"]))
    }

    @Test(arguments: [
        "app in ()",
        "app in (a",
        "app in a",
        "=pi",
        "app=pi,",
        "app pi",
        "app=(pi)",
        "-bad=x",
        "app=bad value!",
        "a/b/c=x",
        "Bad_Prefix.COM/x=y",
        "version>x",
        "!",
        "app=pi,,tier=batch",
    ])
    func parseErrors(selector: String) {
        #expect(throws: SelectorParseError.self, "\(selector)") { try LabelSelector(parsing: selector) }
    }

    @Test func descriptionRoundTrips() throws {
        let selector = try LabelSelector(parsing: "a=b,c!=d,e in (f,g),h notin (i),j,!k")
        #expect(try LabelSelector(parsing: selector.description) == selector)
    }
}

struct FieldSelectorTests {
    static let event: JSONValue = [
        "metadata": ["name": "e1", "namespace": "ns"],
        "involvedObject": ["name": "pi", "kind": "SparkApplication"],
        "type": "Normal",
    ]

    @Test(arguments: [
        ("involvedObject.name=pi", true),
        ("involvedObject.name==pi", true),
        ("involvedObject.name=other", false),
        ("involvedObject.name!=other", true),
        ("involvedObject.name=pi,type=Normal", true),
        ("involvedObject.name=pi,type=Warning", false),
        ("metadata.name=e1", true),
        ("involvedObject.uid=", true),  // a missing field reads as the empty string
        ("", true),
    ])
    func matching(selector: String, expected: Bool) throws {
        #expect(try FieldSelector(parsing: selector).matches(Self.event) == expected, "\(selector)")
    }

    @Test func malformedTermIsRejected() {
        #expect(throws: SelectorParseError.self) { try FieldSelector(parsing: "involvedObject.name") }
        #expect(throws: SelectorParseError.self) { try FieldSelector(parsing: "=x") }
    }
}
