import Foundation
import JSON
import Testing

@testable import KubeSimulator

/// Namespaces, dryRun, create's resourceVersion rule, PUT, PATCH and the status subresource, as
/// kube-apiserver answers them.
struct WriteSemanticsTests {
    let harness = APIHarness(namespaces: ["spark"])
    let appPath = APIHarness.appsPath + "/pi"

    func createPi() async throws -> JSONValue {
        let created = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi"))
        #expect(created.status == 201, "\(created.text)")
        return created.json
    }

    @Test func namespacesMustExist() async throws {
        let path = "/apis/sparkoperator.k8s.io/v1beta2/namespaces/nowhere/sparkapplications"
        let missing = try await harness.send("POST", path, body: APIHarness.sparkPi("pi"))
        #expect(missing.status == 404)
        #expect(missing.json["message"] == "namespaces \"nowhere\" not found")
        #expect(missing.json[path: ["details", "kind"]] == "namespaces")
        #expect(try await harness.send("GET", "/api/v1/namespaces/nowhere").status == 404)
        let lease = try await harness.send(
            "POST", "/apis/coordination.k8s.io/v1/namespaces/nowhere/leases", body: ["metadata": ["name": "l"], "spec": [:]])
        #expect(lease.status == 404)

        let created = try await harness.send("POST", "/api/v1/namespaces", body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": "nowhere"]])
        #expect(created.status == 201)
        #expect(try await harness.send("POST", "/api/v1/namespaces", body: ["metadata": ["name": "nowhere"]]).status == 409)
        #expect(try await harness.send("POST", path, body: APIHarness.sparkPi("pi")).status == 201)
        #expect(try await harness.send("GET", "/api/v1/namespaces/kube-system").status == 200)
        let names = try await harness.send("GET", "/api/v1/namespaces").json["items"]?.arrayValue?.map(\.name)
        #expect(names == ["default", "kube-node-lease", "kube-public", "kube-system", "nowhere", "spark"])
    }

    @Test func createRejectsAResourceVersion() async throws {
        var app = APIHarness.sparkPi("pi")
        app[path: ["metadata", "resourceVersion"]] = "12"
        let reply = try await harness.send("POST", APIHarness.appsPath, body: app)
        #expect(reply.status == 400)
        #expect(reply.json["message"] == "resourceVersion should not be set on objects to be created")
        #expect(harness.store.resourceVersion == 0)
    }

    @Test func dryRunChangesNothing() async throws {
        let dry = try await harness.send("POST", APIHarness.appsPath, query: [("dryRun", "All")], body: APIHarness.sparkPi("pi"))
        #expect(dry.status == 201)
        #expect(dry.json[path: ["metadata", "uid"]]?.stringValue?.isEmpty == false)
        #expect(dry.json[path: ["metadata", "creationTimestamp"]] != nil)
        #expect(dry.json[path: ["metadata", "namespace"]] == "spark")
        #expect(dry.json[path: ["metadata", "resourceVersion"]] == nil)
        #expect(harness.store.resourceVersion == 0)
        #expect(try await harness.send("GET", appPath).status == 404)

        let created = try await createPi()
        let version = harness.store.resourceVersion
        let dryDelete = try await harness.send("DELETE", appPath, query: [("dryRun", "All")])
        #expect(dryDelete.status == 200)
        #expect(dryDelete.json["status"] == "Success")
        let dryDeleteInBody = try await harness.send("DELETE", appPath, body: ["kind": "DeleteOptions", "dryRun": ["All"]])
        #expect(dryDeleteInBody.status == 200)
        var changed = created
        changed[path: ["spec", "arguments"]] = ["5"]
        #expect(try await harness.send("PUT", appPath, query: [("dryRun", "All")], body: changed).json[path: ["spec", "arguments"]] == ["5"])
        let dryPatch = try await harness.send(
            "PATCH", appPath, query: [("dryRun", "All")], body: ["metadata": ["labels": ["a": "b"]]],
            headers: [("Content-Type", "application/merge-patch+json")])
        #expect(dryPatch.status == 200)
        #expect(dryPatch.json[path: ["metadata", "labels", "a"]] == "b")
        #expect(harness.store.resourceVersion == version, "no dry run changes anything")
        #expect(try await harness.send("GET", appPath).json == created)

        for (method, options) in [("POST", "CreateOptions"), ("DELETE", "DeleteOptions")] {
            let path = method == "POST" ? APIHarness.appsPath : appPath
            let bad = try await harness.send(method, path, query: [("dryRun", "Some")], body: method == "POST" ? APIHarness.sparkPi("p2") : JSONValue?.none)
            #expect(bad.status == 422)
            #expect(bad.json["message"] == .string("\(options).meta.k8s.io \"\" is invalid: dryRun: Unsupported value: []string{\"Some\"}: supported values: \"All\""))
        }
        #expect(try await harness.send("GET", appPath).status == 200)
    }

    @Test func putNeedsTheCurrentVersionAndKeepsStatus() async throws {
        var app = try await createPi()
        try harness.store.modify(.sparkApplications, namespace: "spark", name: "pi") { $0["status"] = ["applicationState": ["state": "RUNNING"]] }
        var withoutVersion = app
        withoutVersion[path: ["metadata", "resourceVersion"]] = nil
        let unconditional = try await harness.send("PUT", appPath, body: withoutVersion)
        #expect(unconditional.status == 422)
        #expect(unconditional.json[path: ["details", "causes"]]?[0]?["field"] == "metadata.resourceVersion")
        let stale = try await harness.send("PUT", appPath, body: app)
        #expect(stale.status == 409)
        #expect(stale.json["reason"] == "Conflict")

        app = try await harness.send("GET", appPath).json
        app[path: ["spec", "arguments"]] = ["9"]
        app["status"] = ["applicationState": ["state": "FAILED"]]
        let updated = try await harness.send("PUT", appPath, body: app)
        #expect(updated.status == 200)
        #expect(updated.json[path: ["spec", "arguments"]] == ["9"])
        #expect(updated.json[path: ["status", "applicationState", "state"]] == "RUNNING", "status changes only through /status")
        #expect(updated.json[path: ["metadata", "generation"]] == 2)

        var statusUpdate = updated.json
        statusUpdate["status"] = ["applicationState": ["state": "COMPLETED"]]
        statusUpdate[path: ["spec", "arguments"]] = ["10"]
        let status = try await harness.send("PUT", appPath + "/status", body: statusUpdate)
        #expect(status.status == 200)
        #expect(status.json[path: ["status", "applicationState", "state"]] == "COMPLETED")
        #expect(status.json[path: ["spec", "arguments"]] == ["9"], "/status changes only status")
        #expect(status.json[path: ["metadata", "generation"]] == 2)
    }

    @Test func mergeAndJSONPatches() async throws {
        _ = try await createPi()
        let merge = try await harness.send(
            "PATCH", appPath, body: ["metadata": ["labels": ["team": "data"]], "spec": ["sparkConf": ["spark.ui.enabled": nil, "x": "y"]]],
            headers: [("Content-Type", "application/merge-patch+json")])
        #expect(merge.status == 200, "\(merge.text)")
        #expect(merge.json[path: ["metadata", "labels", "team"]] == "data")
        #expect(merge.json[path: ["spec", "sparkConf"]] == ["x": "y"])

        let json = try await harness.send(
            "PATCH", appPath,
            body: [
                ["op": "test", "path": "/spec/type", "value": "Scala"], ["op": "add", "path": "/spec/arguments/-", "value": "2"],
                ["op": "remove", "path": "/metadata/labels/team"], ["op": "copy", "from": "/spec/image", "path": "/spec/driver/image"],
            ],
            headers: [("Content-Type", "application/json-patch+json")])
        #expect(json.status == 200, "\(json.text)")
        #expect(json.json[path: ["spec", "arguments"]] == ["1000", "2"])
        #expect(json.json[path: ["metadata", "labels", "team"]] == nil)
        #expect(json.json[path: ["spec", "driver", "image"]] == "spark:3.5.3")

        let failedTest = try await harness.send(
            "PATCH", appPath, body: [["op": "test", "path": "/spec/type", "value": "Python"]],
            headers: [("Content-Type", "application/json-patch+json")])
        #expect(failedTest.status == 422)
        let invalid = try await harness.send(
            "PATCH", appPath, body: ["spec": ["type": "Go"]], headers: [("Content-Type", "application/merge-patch+json")])
        #expect(invalid.status == 422)
        #expect(invalid.json[path: ["details", "causes"]]?[0]?["field"] == "spec.type")
        let strategic = try await harness.send(
            "PATCH", appPath, body: ["spec": ["suspend": true]], headers: [("Content-Type", "application/strategic-merge-patch+json")])
        #expect(strategic.status == 415)
        let stale = try await harness.send(
            "PATCH", appPath, body: ["metadata": ["resourceVersion": "1"], "spec": ["suspend": true]],
            headers: [("Content-Type", "application/merge-patch+json")])
        #expect(stale.status == 409)
        #expect(try await harness.send("PATCH", APIHarness.appsPath + "/nope", body: ["spec": [:]],
                                       headers: [("Content-Type", "application/merge-patch+json")]).status == 404)
        #expect(try await harness.send("PATCH", appPath, body: ["spec": [:]], headers: [("Content-Type", "text/plain")]).status == 415)
    }

    @Test func strategicMergeOnPods() async throws {
        try harness.store.create(
            .pods, namespace: "spark",
            object: [
                "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "pi-driver", "labels": ["spark-role": "driver"]],
                "spec": ["containers": [["name": "spark", "image": "spark:1"]]],
            ])
        let path = "/api/v1/namespaces/spark/pods/pi-driver"
        let labelled = try await harness.send(
            "PATCH", path, body: ["metadata": ["labels": ["team": "data"], "annotations": ["a": "b"]]],
            headers: [("Content-Type", "application/strategic-merge-patch+json")])
        #expect(labelled.status == 200, "\(labelled.text)")
        #expect(labelled.json[path: ["metadata", "labels"]] == ["spark-role": "driver", "team": "data"])
        let image = try await harness.send(
            "PATCH", path, body: ["spec": ["containers": [["name": "spark", "image": "spark:2"]]]],
            headers: [("Content-Type", "application/strategic-merge-patch+json")])
        #expect(image.status == 422, "pod spec changes are forbidden (beyond images, which the simulator does not single out)")
        let removed = try await harness.send(
            "PATCH", path, body: ["metadata": ["labels": ["team": nil]]], headers: [("Content-Type", "application/strategic-merge-patch+json")])
        #expect(removed.json[path: ["metadata", "labels"]] == ["spark-role": "driver"])

        // A replace read before the pod changed (here: scheduled onto a node) is a conflict to retry,
        // as kube-apiserver answers it, not a complaint about the spec it carries.
        let read = try await harness.send("GET", path).json
        try harness.store.modify(.pods, namespace: "spark", name: "pi-driver") { $0[path: ["spec", "nodeName"]] = "node-1" }
        var stale = read
        stale[path: ["metadata", "labels", "replaced"]] = "yes"
        let replaced = try await harness.send("PUT", path, body: stale)
        #expect(replaced.status == 409, "\(replaced.text)")
        #expect(replaced.json["reason"] == "Conflict")
    }

    @Test func yamlBodies() async throws {
        let yaml = """
            apiVersion: sparkoperator.k8s.io/v1beta2
            kind: SparkApplication
            metadata:
              name: pi
            spec:
              type: Scala
              mode: cluster
              sparkVersion: "3.5.3"
              mainApplicationFile: local:///opt/spark/examples/jars/spark-examples.jar
              driver: {cores: 1, memory: 512m}
              executor: {cores: 1, instances: 2, memory: 512m}
            """
        let request = APIRequest(
            method: "POST", path: APIHarness.appsPath,
            headers: [("Authorization", "Bearer \(APIHarness.token)"), ("Content-Type", "application/yaml")], body: Data(yaml.utf8))
        let response = await harness.api.respond(to: request)
        #expect(response.status == 201)
        let stored = try harness.store.get(.sparkApplications, namespace: "spark", name: "pi")
        #expect(stored[path: ["spec", "executor", "instances"]] == 2)
        #expect(stored[path: ["spec", "sparkVersion"]] == "3.5.3")
        let broken = APIRequest(
            method: "POST", path: APIHarness.appsPath,
            headers: [("Authorization", "Bearer \(APIHarness.token)"), ("Content-Type", "application/yaml")], body: Data("a: [".utf8))
        #expect(await harness.api.respond(to: broken).status == 400)
    }

    @Test func finalizersHoldADeletion() async throws {
        var app = APIHarness.sparkPi("pi")
        app[path: ["metadata", "finalizers"]] = ["example.com/cleanup"]
        #expect(try await harness.send("POST", APIHarness.appsPath, body: app).status == 201)
        let deleting = try await harness.send("DELETE", appPath)
        #expect(deleting.status == 200)
        #expect(deleting.json[path: ["metadata", "deletionTimestamp"]] != nil)
        let marked = try await harness.send("GET", appPath)
        #expect(marked.status == 200, "a finalizer keeps the object")
        #expect(marked.json[path: ["metadata", "deletionTimestamp"]] != nil)
        // An update cannot lift the mark; removing the last finalizer completes the deletion.
        var lifted = marked.json
        lifted[path: ["metadata", "deletionTimestamp"]] = nil
        lifted[path: ["spec", "suspend"]] = true
        let updated = try await harness.send("PUT", appPath, body: lifted)
        #expect(updated.json[path: ["metadata", "deletionTimestamp"]] == marked.json[path: ["metadata", "deletionTimestamp"]])
        let released = try await harness.send(
            "PATCH", appPath, body: [["op": "remove", "path": "/metadata/finalizers"]], headers: [("Content-Type", "application/json-patch+json")])
        #expect(released.status == 200, "\(released.text)")
        #expect(try await harness.send("GET", appPath).status == 404)
    }

    @Test func eventsPrintWithTheServersColumns() async throws {
        try harness.store.create(
            .events, namespace: "spark",
            object: [
                "apiVersion": "v1", "kind": "Event", "metadata": ["name": "pi.1"], "type": "Normal", "reason": "SparkApplicationSubmitted",
                "message": "submitted", "involvedObject": ["kind": "SparkApplication", "name": "pi"], "source": ["component": "spark-operator"],
                "firstTimestamp": "2026-01-01T00:00:00Z", "lastTimestamp": "2026-01-01T00:00:00Z", "count": 1,
            ])
        let table = try await harness.send(
            "GET", "/api/v1/namespaces/spark/events", headers: [("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io")])
        let names = table.json["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"])
        let cells = table.json["rows"]?[0]?["cells"]?.arrayValue ?? []
        #expect(Array(cells.dropFirst().prefix(3)) == ["Normal", "SparkApplicationSubmitted", "sparkapplication/pi"])
        #expect(cells.count == 10 && cells[6] == "submitted" && cells[9] == "pi.1")
    }

    @Test func aWatchFromTheFutureWaitsThenTimesOut() async throws {
        // A long wait for the version that arrives (however loaded the machine), a short one for the other.
        let harness = APIHarness(namespaces: ["spark"], futureVersionWait: .seconds(30))
        #expect(try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi")).status == 201)
        let current = harness.store.resourceVersion
        // A version that arrives while the watch waits: the watch starts from it.
        let store = harness.store
        let writer = Task {
            try await Task.sleep(for: .milliseconds(200))
            try store.modify(.sparkApplications, namespace: "spark", name: "pi") { $0[path: ["spec", "suspend"]] = true }
            try store.modify(.sparkApplications, namespace: "spark", name: "pi") { $0[path: ["spec", "suspend"]] = false }
        }
        let reached = try await harness.send(
            "GET", APIHarness.appsPath, query: [("watch", "true"), ("resourceVersion", String(current + 1)), ("timeoutSeconds", "1")])
        try await writer.value
        #expect(reached.events.map(\.type) == [.modified], "\(reached.text)")
        // One that never arrives: 504 Too large resource version, after the wait.
        let impatient = APIHarness(namespaces: ["spark"], futureVersionWait: .milliseconds(500))
        for _ in 0..<(current + 2) { try impatient.store.create(.leases, namespace: "spark", object: ["metadata": ["generateName": "l-"]]) }
        let started = ContinuousClock.now
        let future = try await impatient.send(
            "GET", APIHarness.appsPath, query: [("watch", "true"), ("resourceVersion", String(current + 100)), ("timeoutSeconds", "1")])
        #expect(ContinuousClock.now - started >= .milliseconds(500))
        #expect(future.events.map(\.type) == [.error])
        #expect(future.events.first?.object["code"] == 504)
        #expect(future.events.first?.object["message"] == .string("Timeout: Too large resource version: \(current + 100), current: \(current + 2)"))
    }

    @Test func podsStayTerminatingForTheirGracePeriod() async throws {
        let harness = APIHarness(namespaces: ["spark"], podGracePeriodLimit: .milliseconds(600))
        for name in ["slow", "quick"] {
            try harness.store.create(
                .pods, namespace: "spark",
                object: ["apiVersion": "v1", "kind": "Pod", "metadata": ["name": .string(name)], "spec": ["terminationGracePeriodSeconds": 30]])
        }
        let path = "/api/v1/namespaces/spark/pods/"
        let deleting = try await harness.send("DELETE", path + "slow")
        #expect(deleting.status == 200)
        #expect(deleting.json[path: ["metadata", "deletionGracePeriodSeconds"]] == 30)
        #expect(try await harness.send("GET", path + "slow").json[path: ["metadata", "deletionTimestamp"]] != nil, "Terminating")
        let immediate = try await harness.send("DELETE", path + "quick", query: [("gracePeriodSeconds", "0")])
        #expect(immediate.status == 200)
        #expect(try await harness.send("GET", path + "quick").status == 404)
        let deadline = ContinuousClock.now + .seconds(30)  // 0.6 s unloaded; the machine may be busy
        while ContinuousClock.now < deadline, try await harness.send("GET", path + "slow").status == 200 {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(try await harness.send("GET", path + "slow").status == 404, "gone once the (capped) grace period passed")
    }
}
