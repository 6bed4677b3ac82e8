import Foundation
import JSON
import Testing

@testable import KubeSimulator

struct APIHandlerTests {
    let harness = APIHarness()

    @Test func discoveryDocuments() async throws {
        let version = try await harness.send("GET", "/version", token: nil)
        #expect(version.status == 200)
        #expect(version.json["major"] == "1")
        let api = try await harness.send("GET", "/api")
        #expect(api.json["versions"] == ["v1"])
        let groups = try await harness.send("GET", "/apis")
        #expect(groups.json["kind"] == "APIGroupList")
        let names = groups.json["groups"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["sparkoperator.k8s.io", "coordination.k8s.io"])
        let spark = try await harness.send("GET", "/apis/sparkoperator.k8s.io/v1beta2")
        let sparkResources = spark.json["resources"]?.arrayValue ?? []
        #expect(spark.json["groupVersion"] == "sparkoperator.k8s.io/v1beta2")
        #expect(sparkResources.first?["name"] == "sparkapplications")
        #expect(sparkResources.first?["shortNames"] == ["sparkapp"])
        #expect(sparkResources.first?["kind"] == "SparkApplication")
        let core = try await harness.send("GET", "/api/v1")
        let coreNames = core.json["resources"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(coreNames.contains("pods") && coreNames.contains("pods/log") && coreNames.contains("events") && coreNames.contains("secrets"))
        let coordination = try await harness.send("GET", "/apis/coordination.k8s.io/v1")
        #expect(coordination.json["resources"]?.arrayValue?.first?["name"] == "leases")
        #expect(try await harness.send("GET", "/readyz", token: nil).status == 200)
        let openapi = try await harness.send("GET", "/openapi/v2")
        #expect(openapi.status == 404)
        #expect(openapi.json["kind"] == "Status")
    }

    @Test func everyNamespaceExists() async throws {
        let namespace = try await harness.send("GET", "/api/v1/namespaces/spark")
        #expect(namespace.status == 200)
        #expect(namespace.json["kind"] == "Namespace")
        #expect(namespace.json[path: ["status", "phase"]] == "Active")
        #expect(try await harness.send("GET", "/api/v1/namespaces/spark").json == namespace.json)
        #expect(try await harness.send("GET", "/api/v1/namespaces/Not_Valid").status == 404)
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi"))
        let list = try await harness.send("GET", "/api/v1/namespaces")
        #expect(list.json["items"]?.arrayValue?.map(\.name) == ["default", "kube-public", "kube-system", "spark"])
    }

    @Test func authenticationIsRequired() async throws {
        let anonymous = try await harness.send("GET", APIHarness.appsPath, token: nil)
        #expect(anonymous.status == 401)
        #expect(anonymous.json == ["kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
                                  "message": "Unauthorized", "reason": "Unauthorized", "code": 401])
        #expect(try await harness.send("GET", APIHarness.appsPath, token: "wrong").status == 401)
        #expect(try await harness.send("GET", "/version", token: "wrong").status == 401)
        #expect(try await harness.send("GET", APIHarness.appsPath).status == 200)
    }

    @Test func createGetListDelete() async throws {
        let created = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi"))
        #expect(created.status == 201)
        #expect(created.json[path: ["metadata", "namespace"]] == "spark")
        #expect(created.json[path: ["metadata", "generation"]] == 1)
        #expect(created.json[path: ["metadata", "uid"]]?.stringValue != nil)
        let fetched = try await harness.send("GET", APIHarness.appsPath + "/pi")
        #expect(fetched.status == 200)
        #expect(fetched.json == created.json)
        let list = try await harness.send("GET", APIHarness.appsPath)
        #expect(list.json["kind"] == "SparkApplicationList")
        #expect(list.json["apiVersion"] == "sparkoperator.k8s.io/v1beta2")
        #expect(list.json[path: ["metadata", "resourceVersion"]] == created.json[path: ["metadata", "resourceVersion"]])
        #expect(list.json["items"]?.arrayValue?.count == 1)
        let allNamespaces = try await harness.send("GET", "/apis/sparkoperator.k8s.io/v1beta2/sparkapplications")
        #expect(allNamespaces.json["items"]?.arrayValue?.count == 1)

        let deleted = try await harness.send("DELETE", APIHarness.appsPath + "/pi", body: ["propagationPolicy": "Background"])
        #expect(deleted.status == 200)
        #expect(deleted.json["kind"] == "Status")
        #expect(deleted.json["status"] == "Success")
        #expect(deleted.json[path: ["details", "name"]] == "pi")
        #expect(deleted.json[path: ["details", "group"]] == "sparkoperator.k8s.io")
        #expect(deleted.json[path: ["details", "kind"]] == "sparkapplications")
        #expect(deleted.json[path: ["details", "uid"]] == created.json[path: ["metadata", "uid"]])

        let gone = try await harness.send("GET", APIHarness.appsPath + "/pi")
        #expect(gone.status == 404)
        #expect(gone.json == [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": "sparkapplications.sparkoperator.k8s.io \"pi\" not found", "reason": "NotFound",
            "details": ["name": "pi", "group": "sparkoperator.k8s.io", "kind": "sparkapplications"], "code": 404,
        ])
        #expect(try await harness.send("DELETE", APIHarness.appsPath + "/pi").status == 404)
    }

    @Test func statusSentOnCreateIsDropped() async throws {
        var app = APIHarness.sparkPi("pi")
        app["status"] = ["applicationState": ["state": "COMPLETED"]]
        let created = try await harness.send("POST", APIHarness.appsPath, body: app)
        #expect(created.json["status"] == nil)
    }

    @Test func duplicateCreateIsAlreadyExists() async throws {
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi"))
        let again = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi"))
        #expect(again.status == 409)
        #expect(again.json["reason"] == "AlreadyExists")
        #expect(again.json[path: ["details", "kind"]] == "sparkapplications")
    }

    static let invalidCases: [(String, @Sendable (inout JSONValue) -> Void, [String], [String])] = [
        ("missing spec", { $0["spec"] = nil }, ["spec"], ["FieldValueRequired"]),
        ("missing required spec fields", { $0[path: ["spec", "type"]] = nil; $0[path: ["spec", "driver"]] = nil },
         ["spec.driver", "spec.type"], ["FieldValueRequired", "FieldValueRequired"]),
        ("mistyped cores", { $0[path: ["spec", "driver", "cores"]] = "two" }, ["spec.driver.cores"], ["FieldValueTypeInvalid"]),
        ("unsupported type", { $0[path: ["spec", "type"]] = "Go" }, ["spec.type"], ["FieldValueNotSupported"]),
        ("zero instances", { $0[path: ["spec", "executor", "instances"]] = 0 }, ["spec.executor.instances"], ["FieldValueInvalid"]),
        ("numeric sparkConf value", { $0[path: ["spec", "sparkConf", "spark.x"]] = 1 }, ["spec.sparkConf.spark.x"], ["FieldValueTypeInvalid"]),
        ("spec not an object", { $0["spec"] = "text" }, ["spec"], ["FieldValueTypeInvalid"]),
        ("bad name", { $0[path: ["metadata", "name"]] = "Not_A_Name" }, ["metadata.name"], ["FieldValueInvalid"]),
    ]

    @Test(arguments: 0..<invalidCases.count)
    func invalidApplicationsAre422WithCauses(index: Int) async throws {
        let (label, change, fields, reasons) = Self.invalidCases[index]
        var app = APIHarness.sparkPi("pi")
        change(&app)
        let reply = try await harness.send("POST", APIHarness.appsPath, body: app)
        #expect(reply.status == 422, "\(label)")
        #expect(reply.json["reason"] == "Invalid")
        #expect(reply.json[path: ["details", "kind"]] == "SparkApplication")
        let causes = reply.json[path: ["details", "causes"]]?.arrayValue ?? []
        #expect(causes.compactMap { $0["field"]?.stringValue } == fields, "\(label)")
        #expect(causes.compactMap { $0["reason"]?.stringValue } == reasons, "\(label)")
        #expect(reply.json["message"]?.stringValue?.contains("is invalid: ") == true)
        #expect(try await harness.send("GET", APIHarness.appsPath).json["items"] == [])
    }

    @Test func malformedBodiesAre400() async throws {
        let request = APIRequest(
            method: "POST", path: APIHarness.appsPath, headers: [("Authorization", "Bearer \(APIHarness.token)")], body: Data("{not json".utf8))
        #expect(await harness.api.respond(to: request).status == 400)
        var wrongNamespace = APIHarness.sparkPi("pi")
        wrongNamespace[path: ["metadata", "namespace"]] = "other"
        let mismatch = try await harness.send("POST", APIHarness.appsPath, body: wrongNamespace)
        #expect(mismatch.status == 400)
        #expect(mismatch.json["message"] == "the namespace of the provided object does not match the namespace sent on the request")
        var wrongKind = APIHarness.sparkPi("pi")
        wrongKind["kind"] = "Pod"
        let kindMismatch = try await harness.send("POST", APIHarness.appsPath, body: wrongKind)
        #expect(kindMismatch.status == 400)
        #expect(kindMismatch.json["message"]?.stringValue?.hasSuffix(#"kind "Pod" does not match"#) == true, "\(kindMismatch.json)")
    }

    @Test func unknownPathsAndMethods() async throws {
        #expect(try await harness.send("GET", "/apis/example.com/v1/namespaces/x/widgets").status == 404)
        #expect(try await harness.send("GET", "/api/v1/namespaces/x/configmaps").status == 404)
        let method = try await harness.send("POST", APIHarness.appsPath + "/pi")
        #expect(method.status == 405)
        #expect(method.json["reason"] == "MethodNotAllowed")
        #expect(try await harness.send("POST", "/api/v1/namespaces/x/pods", body: ["metadata": ["name": "p"]]).status == 405)
    }

    @Test func labelSelectorsAndBadSelectors() async throws {
        for (name, queue) in [("a", "x"), ("b", "y"), ("c", "z")] {
            _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi(name, labels: ["queue": .string(queue)]))
        }
        func names(_ selector: String) async throws -> [String] {
            let reply = try await harness.send("GET", APIHarness.appsPath, query: [("labelSelector", selector)])
            return reply.json["items"]?.arrayValue?.map(\.name) ?? []
        }
        #expect(try await names("queue=x") == ["a"])
        #expect(try await names("queue in (x,z)") == ["a", "c"])
        #expect(try await names("queue notin (x)") == ["b", "c"])
        #expect(try await names("queue!=y") == ["a", "c"])
        #expect(try await names("!queue") == [])
        let bad = try await harness.send("GET", APIHarness.appsPath, query: [("labelSelector", "queue in (")])
        #expect(bad.status == 400)
        #expect(bad.json["reason"] == "BadRequest")
        let badField = try await harness.send("GET", APIHarness.appsPath, query: [("fieldSelector", "spec.type=Scala")])
        #expect(badField.status == 400)
        #expect(badField.json["message"] == "field label not supported: spec.type")
        let byName = try await harness.send("GET", APIHarness.appsPath, query: [("fieldSelector", "metadata.name=b")])
        #expect(byName.json["items"]?.arrayValue?.map(\.name) == ["b"])
    }

    @Test func paginationWithContinue() async throws {
        for index in 0..<7 { _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("app-\(index)")) }
        var seen: [String] = []
        var token: String?
        var pages = 0
        repeat {
            var query = [("limit", "3")]
            if let token { query.append(("continue", token)) }
            let reply = try await harness.send("GET", APIHarness.appsPath, query: query)
            #expect(reply.status == 200)
            seen += reply.json["items"]?.arrayValue?.map(\.name) ?? []
            token = reply.json[path: ["metadata", "continue"]]?.stringValue
            pages += 1
        } while token != nil
        #expect(pages == 3)
        #expect(seen == (0..<7).map { "app-\($0)" })
        let bad = try await harness.send("GET", APIHarness.appsPath, query: [("limit", "3"), ("continue", "garbage")])
        #expect(bad.status == 400)
    }

    @Test func expiredContinueIs410() async throws {
        let small = APIHarness(historyLimit: 2)
        for index in 0..<3 { _ = try await small.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("app-\(index)")) }
        let first = try await small.send("GET", APIHarness.appsPath, query: [("limit", "1")])
        for index in 3..<6 { _ = try await small.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("app-\(index)")) }
        let token = try #require(first.json[path: ["metadata", "continue"]]?.stringValue)
        let expired = try await small.send("GET", APIHarness.appsPath, query: [("limit", "1"), ("continue", token)])
        #expect(expired.status == 410)
        #expect(expired.json["reason"] == "Expired")
    }

    @Test func watchFromAResourceVersionWithTimeout() async throws {
        let created = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("one"))
        let version = try #require(created.json[path: ["metadata", "resourceVersion"]]?.stringValue)
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("two"))
        _ = try await harness.send("DELETE", APIHarness.appsPath + "/one")
        let started = ContinuousClock.now
        let reply = try await harness.send(
            "GET", APIHarness.appsPath, query: [("watch", "true"), ("resourceVersion", version), ("timeoutSeconds", "1")])
        #expect(ContinuousClock.now - started >= .milliseconds(900))
        #expect(reply.status == 200)
        #expect(reply.events.map(\.type) == [.added, .deleted])
        #expect(reply.events.map(\.object.name) == ["two", "one"])
    }

    @Test func watchFromTheCurrentStateSeesLiveChanges() async throws {
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("one"))
        let api = harness.api
        let request = APIRequest(
            method: "GET", path: APIHarness.appsPath, query: [(name: "watch", value: "1")],
            headers: [(name: "Authorization", value: "Bearer \(APIHarness.token)")])
        let response = await api.respond(to: request)
        guard case .stream(let produce) = response.body else {
            Issue.record("watch is not streamed")
            return
        }
        let lines = ChunkCollector()
        let consumer = Task {
            // The client hangs up after three events: writing then throws and the watch ends.
            try? await produce { chunk in
                lines.append(chunk)
                if String(decoding: lines.data, as: UTF8.self).split(separator: "\n").count >= 3 { throw CancellationError() }
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("two"))
        _ = try await harness.send("DELETE", APIHarness.appsPath + "/two")
        await consumer.value
        let events = String(decoding: lines.data, as: UTF8.self).split(separator: "\n").map { try? JSONValue(parsing: Data($0.utf8)) }
        #expect(events.map { $0?["type"] } == ["ADDED", "ADDED", "DELETED"])
        #expect(harness.store.watcherCount == 0)
    }

    @Test func watchFromAnExpiredVersionGetsA410ErrorEvent() async throws {
        let small = APIHarness(historyLimit: 2)
        for index in 0..<5 { _ = try await small.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("app-\(index)")) }
        let reply = try await small.send("GET", APIHarness.appsPath, query: [("watch", "true"), ("resourceVersion", "1")])
        #expect(reply.status == 200)
        #expect(reply.events.count == 1)
        let error = try #require(reply.events.first)
        #expect(error.type == .error)
        #expect(error.object["kind"] == "Status")
        #expect(error.object["code"] == 410)
        #expect(error.object["reason"] == "Expired")
    }

    @Test func bookmarksArriveWhenAllowed() async throws {
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("one"))
        let reply = try await harness.send(
            "GET", APIHarness.appsPath, query: [("watch", "1"), ("allowWatchBookmarks", "true"), ("timeoutSeconds", "1"), ("resourceVersion", "1")])
        let bookmarks = reply.events.filter { $0.type == .bookmark }
        // At least one within the 1 s watch (more on an idle machine: one every bookmarkInterval).
        #expect(bookmarks.count >= 1)
        #expect(bookmarks.first?.object[path: ["metadata", "resourceVersion"]] == "1")
        #expect(bookmarks.first?.object["kind"] == "SparkApplication")
        let without = try await harness.send("GET", APIHarness.appsPath, query: [("watch", "1"), ("timeoutSeconds", "1"), ("resourceVersion", "1")])
        #expect(without.events.isEmpty)
    }

    @Test func leasesCreateGetUpdateWithConflicts() async throws {
        let path = "/apis/coordination.k8s.io/v1/namespaces/bpg/leases"
        let lease: JSONValue = [
            "apiVersion": "coordination.k8s.io/v1", "kind": "Lease", "metadata": ["name": "leader"],
            "spec": ["holderIdentity": "a", "leaseDurationSeconds": 15],
        ]
        let created = try await harness.send("POST", path, body: lease)
        #expect(created.status == 201)
        var renewed = created.json
        renewed[path: ["spec", "holderIdentity"]] = "b"
        let updated = try await harness.send("PUT", path + "/leader", body: renewed)
        #expect(updated.status == 200)
        #expect(updated.json[path: ["spec", "holderIdentity"]] == "b")
        // A second writer still holding the old resourceVersion loses.
        let stale = try await harness.send("PUT", path + "/leader", body: renewed)
        #expect(stale.status == 409)
        #expect(stale.json["reason"] == "Conflict")
        #expect(stale.json[path: ["details", "group"]] == "coordination.k8s.io")
        #expect(stale.json[path: ["details", "kind"]] == "leases")
        #expect(try await harness.send("GET", path + "/leader").json[path: ["spec", "holderIdentity"]] == "b")
        #expect(try await harness.send("POST", path, body: lease).status == 409)
        #expect(try await harness.send("PUT", path + "/other", body: renewed).status == 400)
        #expect(try await harness.send("GET", path + "/missing").status == 404)
    }

    @Test func secretsAreReadable() async throws {
        try harness.store.create(.secrets, namespace: "bpg", object: ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db"], "data": ["password": "c2VjcmV0"]])
        let secret = try await harness.send("GET", "/api/v1/namespaces/bpg/secrets/db")
        #expect(secret.status == 200)
        #expect(secret.json[path: ["data", "password"]] == "c2VjcmV0")
        let missing = try await harness.send("GET", "/api/v1/namespaces/bpg/secrets/none")
        #expect(missing.json["message"] == "secrets \"none\" not found")
        #expect(missing.json[path: ["details", "group"]] == nil)
    }

    @Test func eventsByInvolvedObject() async throws {
        for (name, target) in [("e1", "pi"), ("e2", "other"), ("e3", "pi")] {
            try harness.store.create(.events, namespace: "spark", object: [
                "metadata": ["name": .string(name)], "involvedObject": ["name": .string(target), "kind": "SparkApplication"], "reason": "X",
            ])
        }
        let reply = try await harness.send("GET", "/api/v1/namespaces/spark/events", query: [("fieldSelector", "involvedObject.name=pi")])
        #expect(reply.json["kind"] == "EventList")
        #expect(reply.json["items"]?.arrayValue?.map(\.name) == ["e1", "e3"])
        // Built-in list items carry no kind/apiVersion.
        #expect(reply.json["items"]?.arrayValue?.first?["kind"] == nil)
    }

    @Test func podLogsWithTailAndLimit() async throws {
        try harness.store.create(.pods, namespace: "spark", object: [
            "metadata": ["name": "pi-driver"], "spec": ["containers": [["name": "spark-kubernetes-driver"]]], "status": ["phase": "Pending"],
        ])
        let pending = try await harness.send("GET", "/api/v1/namespaces/spark/pods/pi-driver/log")
        #expect(pending.status == 400)
        #expect(pending.json["message"] == "container \"spark-kubernetes-driver\" in pod \"pi-driver\" is waiting to start: ContainerCreating")
        try harness.store.modify(.pods, namespace: "spark", name: "pi-driver") { $0[path: ["status", "phase"]] = "Running" }
        harness.logs.append(namespace: "spark", pod: "pi-driver", lines: ["one", "two", "three"])
        let all = try await harness.send("GET", "/api/v1/namespaces/spark/pods/pi-driver/log")
        #expect(all.text == "one\ntwo\nthree\n")
        #expect(all.header("Content-Type")?.hasPrefix("text/plain") == true)
        #expect(try await harness.send("GET", "/api/v1/namespaces/spark/pods/pi-driver/log", query: [("tailLines", "2")]).text == "two\nthree\n")
        #expect(try await harness.send("GET", "/api/v1/namespaces/spark/pods/pi-driver/log", query: [("limitBytes", "5")]).text == "one\nt")
        #expect(try await harness.send("GET", "/api/v1/namespaces/spark/pods/pi-driver/log", query: [("container", "nope")]).status == 400)
        #expect(try await harness.send("GET", "/api/v1/namespaces/spark/pods/pi-driver/log", query: [("tailLines", "-1")]).status == 422)
        #expect(try await harness.send("GET", "/api/v1/namespaces/spark/pods/none/log").status == 404)
    }

    @Test func followStreamsUntilThePodFinishes() async throws {
        try harness.store.create(.pods, namespace: "spark", object: [
            "metadata": ["name": "p"], "spec": ["containers": [["name": "c"]]], "status": ["phase": "Running"],
        ])
        harness.logs.append(namespace: "spark", pod: "p", lines: ["first"])
        let logs = harness.logs
        Task {
            try await Task.sleep(for: .milliseconds(100))
            logs.append(namespace: "spark", pod: "p", lines: ["second"])
            logs.finish(namespace: "spark", pod: "p")
        }
        let reply = try await harness.send("GET", "/api/v1/namespaces/spark/pods/p/log", query: [("follow", "true")])
        #expect(reply.text == "first\nsecond\n")
    }

    @Test(arguments: [500, 429, 503])
    func injectedCreateFailures(code: Int) async throws {
        harness.faults.failNextCreates(2, status: code)
        for _ in 0..<2 {
            let failed = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi"))
            #expect(failed.status == code)
            #expect(failed.json["kind"] == "Status")
            #expect(failed.json["code"] == .int(code))
            if code == 429 { #expect(failed.header("Retry-After") == "1") }
        }
        // Reads are not affected, and the third create goes through.
        #expect(try await harness.send("GET", APIHarness.appsPath).status == 200)
        #expect(try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi")).status == 201)
    }

    @Test func injectedLatency() async throws {
        harness.faults.setLatency(.milliseconds(200))
        let started = ContinuousClock.now
        _ = try await harness.send("GET", "/version")
        #expect(ContinuousClock.now - started >= .milliseconds(200))
    }

    @Test func tableFormatForKubectl() async throws {
        _ = try await harness.send("POST", APIHarness.appsPath, body: APIHarness.sparkPi("pi"))
        let accept = ("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json")
        let table = try await harness.send("GET", APIHarness.appsPath, headers: [accept])
        #expect(table.json["kind"] == "Table")
        let columns = table.json["columnDefinitions"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(columns == ["Name", "Suspend", "Status", "Attempts", "Start", "Finish", "Age"])
        #expect(table.json["rows"]?.arrayValue?.first?["cells"]?.arrayValue?.first == "pi")
        #expect(table.json["rows"]?.arrayValue?.first?[path: ["object", "metadata", "name"]] == "pi")
        let plain = try await harness.send("GET", APIHarness.appsPath, headers: [("Accept", "application/json")])
        #expect(plain.json["kind"] == "SparkApplicationList")
    }
}
