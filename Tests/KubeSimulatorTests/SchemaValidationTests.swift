import Foundation
import JSON
import Testing

@testable import KubeSimulator

/// The simulator with the real SparkApplication CRD loaded: pruning, defaulting and validation as a
/// real API server applies the structural schema, checked against `SchemaOracle`'s independent
/// reading of the same CRD.
@Suite(.enabled(if: SchemaOracle.isAvailable, SchemaOracle.missing))
struct SchemaValidationTests {
    /// One change to a valid SparkPi application: `value` at `path` (nil removes the member).
    struct Mutation: CustomTestStringConvertible, Sendable {
        var path: [String]
        var value: JSONValue?
        var testDescription: String { "\(path.joined(separator: ".")) = \(value?.jsonString() ?? "<removed>")" }

        func apply(to object: JSONValue) -> JSONValue {
            var object = object
            object[path: path] = value
            return object
        }
    }

    static let mutations: [Mutation] = [
        // The issue's examples.
        Mutation(path: ["spec", "restartPolicy"], value: ["type": "Sometimes"]),
        Mutation(path: ["spec", "restartPolicy"], value: ["type": "OnFailure", "onFailureRetries": -1]),
        Mutation(path: ["spec", "driver", "env"], value: [["value": "1"]]),
        Mutation(path: ["spec", "volumes"], value: [["emptyDir": [:]]]),
        Mutation(path: ["spec", "deps"], value: ["jars": "local:///opt/a.jar"]),
        // Types, enums, minimums, patterns, nested required fields.
        Mutation(path: ["spec", "type"], value: "Go"),
        Mutation(path: ["spec", "mode"], value: "local"),
        Mutation(path: ["spec", "driver", "cores"], value: 0),
        Mutation(path: ["spec", "executor", "instances"], value: 0),
        Mutation(path: ["spec", "driver", "memory"], value: 512),
        Mutation(path: ["spec", "sparkConf"], value: ["spark.executor.cores": 2]),
        Mutation(path: ["spec", "arguments"], value: [1000]),
        Mutation(path: ["spec", "timeToLiveSeconds"], value: 1.5),
        Mutation(path: ["spec", "suspend"], value: "yes"),
        Mutation(path: ["spec", "executor", "deleteOnTermination"], value: "no"),
        Mutation(path: ["spec", "dynamicAllocation"], value: ["enabled": "true"]),
        Mutation(path: ["spec", "volumes"], value: [["name": "scratch", "emptyDir": ["sizeLimit": "lots"]]]),
        Mutation(path: ["spec", "volumes"], value: [["name": "scratch", "emptyDir": ["sizeLimit": true]]]),
        Mutation(path: ["spec", "driver", "ports"], value: [["name": "http", "containerPort": 8080]]),
        Mutation(path: ["spec", "driver", "volumeMounts"], value: [["name": "scratch"]]),
        Mutation(path: ["spec", "mainApplicationFile"], value: nil),
        Mutation(path: ["spec", "sparkVersion"], value: .null),
        Mutation(path: ["spec", "driver", "terminationGracePeriodSeconds"], value: "30"),
        Mutation(path: ["spec", "monitoring"], value: ["exposeDriverMetrics": true]),
        // Accepted, some with fields a real server prunes.
        Mutation(path: ["spec", "restartPolicy"], value: ["type": "OnFailure", "onFailureRetries": 3, "onFailureRetryInterval": 10]),
        Mutation(path: ["spec", "volumes"], value: [["name": "scratch", "emptyDir": ["sizeLimit": "1Gi"]]]),
        Mutation(path: ["spec", "volumes"], value: [["name": "scratch", "emptyDir": ["sizeLimit": 1024]]]),
        Mutation(path: ["spec", "driver", "env"], value: [["name": "A", "value": "1"]]),
        Mutation(path: ["spec", "deps"], value: ["jars": ["local:///opt/a.jar"]]),
        Mutation(path: ["spec", "driver", "podName"], value: "pi-driver"),
        Mutation(path: ["spec", "executor", "podName"], value: "pi-exec"),
        Mutation(path: ["spec", "driver", "instances"], value: 2),
        Mutation(path: ["spec", "executor", "kubernetesMaster"], value: "k8s://x"),
        Mutation(path: ["spec", "favouriteColour"], value: "blue"),
        Mutation(path: ["metadata", "colour"], value: "blue"),
        Mutation(path: ["spec", "image"], value: .null),
        Mutation(path: ["status"], value: ["applicationState": ["state": "RUNNING"]]),
    ]

    @Test(arguments: mutations)
    func agreesWithTheCRD(_ mutation: Mutation) async throws {
        let oracle = try SchemaOracle.load()
        let harness = APIHarness(crd: try SchemaOracle.loadCRD())
        let object = mutation.apply(to: APIHarness.sparkPi("pi"))
        let expected = oracle.verdict(object)
        let reply = try await harness.send("POST", APIHarness.appsPath, body: object)
        if expected.rejected.isEmpty {
            #expect(reply.status == 201, "\(reply.text)")
            let warnings = Set(reply.headers.filter { $0.name == "Warning" }.map(\.value))
            #expect(warnings == Set(expected.unknown.map { "299 - \"unknown field \\\"\($0)\\\"\"" }))
            let stored = try await harness.send("GET", APIHarness.appsPath + "/pi").json
            for path in expected.unknown {
                let segments = path.split(separator: ".").map(String.init)
                #expect(stored[path: segments] == nil, "\(path) should have been pruned")
            }
        } else {
            #expect(reply.status == 422, "\(reply.text)")
            #expect(reply.json["reason"] == "Invalid")
            let fields = Set(reply.json[path: ["details", "causes"]]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
            #expect(fields == expected.rejected, "\(reply.json["message"]?.stringValue ?? "")")
            #expect(try await harness.send("GET", APIHarness.appsPath + "/pi").status == 404)
        }
    }

    /// The table covers both sides, so a checker that accepts (or rejects) everything cannot pass.
    @Test func tableHoldsBothOutcomes() throws {
        let oracle = try SchemaOracle.load()
        let verdicts = Self.mutations.map { oracle.verdict($0.apply(to: APIHarness.sparkPi("pi"))) }
        #expect(verdicts.filter { !$0.rejected.isEmpty }.count >= 20)
        #expect(verdicts.filter { $0.rejected.isEmpty }.count >= 10)
        #expect(verdicts.contains { !$0.unknown.isEmpty && $0.rejected.isEmpty })
    }

    @Test func messagesAreTheAPIServers() async throws {
        let harness = APIHarness(crd: try SchemaOracle.loadCRD())
        var app = APIHarness.sparkPi("pi")
        app[path: ["spec", "restartPolicy"]] = ["type": "Sometimes", "onFailureRetries": -1]
        app[path: ["spec", "driver", "env"]] = [["value": "1"]]
        app[path: ["spec", "deps"]] = ["jars": "a.jar"]
        let reply = try await harness.send("POST", APIHarness.appsPath, body: app)
        #expect(reply.status == 422)
        let causes = reply.json[path: ["details", "causes"]]?.arrayValue ?? []
        func cause(_ field: String) -> JSONValue? { causes.first { $0["field"]?.stringValue == field } }
        #expect(cause("spec.restartPolicy.type")?["reason"] == "FieldValueNotSupported")
        #expect(cause("spec.restartPolicy.type")?["message"] == "Unsupported value: \"Sometimes\": supported values: \"Never\", \"Always\", \"OnFailure\"")
        #expect(cause("spec.restartPolicy.onFailureRetries")?["message"]
            == "Invalid value: -1: spec.restartPolicy.onFailureRetries in body should be greater than or equal to 0")
        #expect(cause("spec.driver.env[0].name") == ["reason": "FieldValueRequired", "message": "Required value", "field": "spec.driver.env[0].name"])
        #expect(cause("spec.deps.jars")?["message"] == "Invalid value: \"string\": spec.deps.jars in body must be of type array: \"string\"")
        let message = reply.json["message"]?.stringValue ?? ""
        #expect(message.hasPrefix("SparkApplication.sparkoperator.k8s.io \"pi\" is invalid: ["))
        #expect(reply.json[path: ["details", "kind"]] == "SparkApplication")
        #expect(reply.json[path: ["details", "group"]] == "sparkoperator.k8s.io")
    }

    @Test func fieldValidationModes() async throws {
        let harness = APIHarness(crd: try SchemaOracle.loadCRD())
        var app = APIHarness.sparkPi("pi")
        app[path: ["spec", "foo"]] = 1
        app[path: ["spec", "executor", "podName"]] = "x"
        let strict = try await harness.send("POST", APIHarness.appsPath, query: [("fieldValidation", "Strict")], body: app)
        #expect(strict.status == 400)
        #expect(strict.json["message"] == "strict decoding error: unknown field \"spec.executor.podName\", unknown field \"spec.foo\""
            || strict.json["message"] == "strict decoding error: unknown field \"spec.foo\", unknown field \"spec.executor.podName\"")
        let ignore = try await harness.send("POST", APIHarness.appsPath, query: [("fieldValidation", "Ignore")], body: app)
        #expect(ignore.status == 201)
        #expect(ignore.header("Warning") == nil)
        #expect(ignore.json[path: ["spec", "foo"]] == nil)
        #expect(ignore.json[path: ["spec", "executor", "podName"]] == nil)
        app[path: ["metadata", "name"]] = "pi2"
        let warn = try await harness.send("POST", APIHarness.appsPath, body: app)
        #expect(warn.status == 201)
        #expect(Set(warn.headers.filter { $0.name == "Warning" }.map(\.value))
            == ["299 - \"unknown field \\\"spec.foo\\\"\"", "299 - \"unknown field \\\"spec.executor.podName\\\"\""])
        #expect(try await harness.send("POST", APIHarness.appsPath, query: [("fieldValidation", "Loud")], body: app).status == 400)
    }

    @Test func defaultsAndNullsAreApplied() async throws {
        let harness = APIHarness(crd: try SchemaOracle.loadCRD())
        var app = APIHarness.sparkPi("pi")
        // Core ContainerPort defaults its protocol to TCP; a null optional field is dropped.
        app[path: ["spec", "driver", "sidecars"]] = [["name": "proxy", "image": "envoy", "ports": [["containerPort": 9901]]]]
        app[path: ["spec", "image"]] = .null
        let reply = try await harness.send("POST", APIHarness.appsPath, body: app)
        #expect(reply.status == 201, "\(reply.text)")
        let stored = try await harness.send("GET", APIHarness.appsPath + "/pi").json
        #expect(stored[path: ["spec", "driver", "sidecars"]]?[0]?["ports"]?[0]?["protocol"] == "TCP")
        #expect(stored[path: ["spec", "image"]] == nil)
        #expect(stored[path: ["spec"]]?.objectValue?.keys.contains("image") == false)
    }

    @Test func withoutACRDTheBuiltInChecksStay() async throws {
        let harness = APIHarness()
        var app = APIHarness.sparkPi("pi")
        app[path: ["spec", "foo"]] = 1
        let reply = try await harness.send("POST", APIHarness.appsPath, body: app)
        #expect(reply.status == 201)
        #expect(reply.json[path: ["spec", "foo"]] == 1)
        app[path: ["spec", "type"]] = "Go"
        app[path: ["metadata", "name"]] = "pi2"
        #expect(try await harness.send("POST", APIHarness.appsPath, body: app).status == 422)
    }

    @Test func discoveryFollowsTheCRD() async throws {
        let harness = APIHarness(crd: try SchemaOracle.loadCRD())
        let spark = try await harness.send("GET", "/apis/sparkoperator.k8s.io/v1beta2")
        let entry = spark.json["resources"]?.arrayValue?.first { $0["name"] == "sparkapplications" }
        #expect(entry?["categories"] == nil)
        #expect(entry?["verbs"] == ["create", "delete", "get", "list", "patch", "update", "watch"])
        let status = spark.json["resources"]?.arrayValue?.first { $0["name"] == "sparkapplications/status" }
        #expect(status?["verbs"] == ["get", "patch", "update"])

        let root = try await harness.send("GET", "/openapi/v3")
        let url = try #require(root.json[path: ["paths", "apis/sparkoperator.k8s.io/v1beta2", "serverRelativeURL"]]?.stringValue)
        let document = try await harness.send("GET", String(url.prefix { $0 != "?" }))
        let schema = document.json[path: ["components", "schemas", "io.k8s.sparkoperator.v1beta2.SparkApplication"]]
        #expect(schema?["x-kubernetes-group-version-kind"] == [["group": "sparkoperator.k8s.io", "version": "v1beta2", "kind": "SparkApplication"]])
        let patch = document.json[path: ["paths", "/apis/sparkoperator.k8s.io/v1beta2/namespaces/{namespace}/sparkapplications/{name}", "patch"]]
        #expect(patch?["parameters"]?.arrayValue?.contains { $0["name"] == "fieldValidation" } == true)
        #expect(try await APIHarness().send("GET", "/openapi/v3").status == 404, "no CRD, no OpenAPI")
    }

    /// What an update cannot change is not held against it: a label on an application whose stored
    /// status the schema would reject (the operator writes status directly) still goes through.
    @Test func updatesAreJudgedOnWhatTheyChange() async throws {
        let harness = APIHarness(crd: try SchemaOracle.loadCRD())
        #expect(try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi")).status == 201)
        try harness.store.modify(.sparkApplications, namespace: "spark", name: "pi") { $0["status"] = ["applicationState": ["state": "RUNNING"]] }
        let labelled = try await harness.send(
            "PATCH", APIHarness.appsPath + "/pi", body: ["metadata": ["labels": ["team": "data"]]],
            headers: [("Content-Type", "application/merge-patch+json")])
        #expect(labelled.status == 200, "\(labelled.text)")
        let status = try await harness.send(
            "PATCH", APIHarness.appsPath + "/pi/status", body: ["status": ["executionAttempts": "many"]],
            headers: [("Content-Type", "application/merge-patch+json")])
        #expect(status.status == 422)
        // A /status write is judged on the whole status (the CRD requires driverInfo there).
        #expect(status.json[path: ["details", "causes"]]?.arrayValue?.map { $0["field"] } == ["status.driverInfo", "status.executionAttempts"])
    }
}
