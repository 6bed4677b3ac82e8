import Foundation
import JSON
import Testing

@testable import KubeSimulator

struct ObjectStoreTests {
    static func app(_ name: String, labels: [String: JSONValue] = [:]) -> JSONValue {
        ["apiVersion": "sparkoperator.k8s.io/v1beta2", "kind": "SparkApplication", "metadata": ["name": .string(name), "labels": .object(JSONObject(labels))],
         "spec": ["type": "Scala"]]
    }

    @Test func createStampsMetadataAndBumpsTheClusterWideVersion() throws {
        let store = ObjectStore()
        let first = try store.create(.sparkApplications, namespace: "a", object: Self.app("one"))
        let second = try store.create(.leases, namespace: "b", object: ["metadata": ["name": "lock"]])
        #expect(first[path: ["metadata", "resourceVersion"]] == "1")
        #expect(second[path: ["metadata", "resourceVersion"]] == "2")
        #expect(first[path: ["metadata", "generation"]] == 1)
        #expect(second[path: ["metadata", "generation"]] == nil)
        #expect(first[path: ["metadata", "uid"]]?.stringValue?.count == 36)
        #expect(first[path: ["metadata", "namespace"]] == "a")
        let created = try #require(first[path: ["metadata", "creationTimestamp"]]?.stringValue)
        #expect(created.hasSuffix("Z") && created.contains("T"))
        #expect(store.resourceVersion == 2)
        #expect(try store.get(.sparkApplications, namespace: "a", name: "one") == first)
    }

    @Test func duplicatesAndMissingObjectsAreStatusErrors() throws {
        let store = ObjectStore()
        try store.create(.sparkApplications, namespace: "a", object: Self.app("one"))
        let duplicate = #expect(throws: KubeStatus.self) { try store.create(.sparkApplications, namespace: "a", object: Self.app("one")) }
        #expect(duplicate?.code == 409)
        #expect(duplicate?.reason == "AlreadyExists")
        #expect(duplicate?.message == "sparkapplications.sparkoperator.k8s.io \"one\" already exists")
        // The same name in another namespace is a different object.
        try store.create(.sparkApplications, namespace: "b", object: Self.app("one"))
        let missing = #expect(throws: KubeStatus.self) { try store.get(.pods, namespace: "a", name: "nope") }
        #expect(missing?.code == 404)
        #expect(missing?.message == "pods \"nope\" not found")
    }

    @Test func generateNameExpands() throws {
        let store = ObjectStore()
        let object = try store.create(.sparkApplications, namespace: "a", object: ["metadata": ["generateName": "pi-"], "spec": [:]])
        #expect(object.name.hasPrefix("pi-") && object.name.count == 8)
    }

    @Test func replaceChecksTheResourceVersionAndBumpsGenerationOnSpecChange() throws {
        let store = ObjectStore()
        let created = try store.create(.sparkApplications, namespace: "a", object: Self.app("one"))
        var changed = created
        changed[path: ["spec", "type"]] = "Python"
        let updated = try store.replace(.sparkApplications, namespace: "a", name: "one", object: changed)
        #expect(updated[path: ["metadata", "generation"]] == 2)
        #expect(updated[path: ["metadata", "uid"]] == created[path: ["metadata", "uid"]])
        // `changed` still carries the old resourceVersion: a stale write.
        let stale = #expect(throws: KubeStatus.self) { try store.replace(.sparkApplications, namespace: "a", name: "one", object: changed) }
        #expect(stale?.code == 409)
        #expect(stale?.reason == "Conflict")
    }

    @Test func modifyWithoutChangeRecordsNothing() throws {
        let store = ObjectStore()
        try store.create(.sparkApplications, namespace: "a", object: Self.app("one"))
        try store.modify(.sparkApplications, namespace: "a", name: "one") { _ in }
        #expect(store.resourceVersion == 1)
        try store.modify(.sparkApplications, namespace: "a", name: "one") { $0[path: ["status", "x"]] = 1 }
        #expect(store.resourceVersion == 2)
    }

    @Test func paginationIsAConsistentSnapshot() throws {
        let store = ObjectStore()
        for index in 0..<5 { try store.create(.sparkApplications, namespace: "a", object: Self.app("app-\(index)")) }
        let first = try store.list(.sparkApplications, filter: ObjectFilter(namespace: "a"), limit: 2)
        #expect(first.items.map(\.name) == ["app-0", "app-1"])
        #expect(first.remainingItemCount == 3)
        let token = try #require(first.continueToken)
        // Changes after the first page do not show in later pages.
        try store.delete(.sparkApplications, namespace: "a", name: "app-3")
        try store.create(.sparkApplications, namespace: "a", object: Self.app("app-9"))
        try store.modify(.sparkApplications, namespace: "a", name: "app-2") { $0[path: ["status", "x"]] = 1 }
        let second = try store.list(.sparkApplications, filter: ObjectFilter(namespace: "a"), limit: 2, continueToken: token)
        #expect(second.items.map(\.name) == ["app-2", "app-3"])
        #expect(second.items[0][path: ["status", "x"]] == nil)
        #expect(second.resourceVersion == first.resourceVersion)
        let secondToken = try #require(second.continueToken)
        let third = try store.list(.sparkApplications, filter: ObjectFilter(namespace: "a"), limit: 2, continueToken: secondToken)
        #expect(third.items.map(\.name) == ["app-4"])
        #expect(third.continueToken == nil)
    }

    @Test func expiredAndMalformedContinueTokens() throws {
        let store = ObjectStore(historyLimit: 3)
        for index in 0..<3 { try store.create(.sparkApplications, namespace: "a", object: Self.app("app-\(index)")) }
        let page = try store.list(.sparkApplications, filter: ObjectFilter(), limit: 1)
        for index in 3..<8 { try store.create(.sparkApplications, namespace: "a", object: Self.app("app-\(index)")) }
        let expired = #expect(throws: KubeStatus.self) {
            try store.list(.sparkApplications, filter: ObjectFilter(), limit: 1, continueToken: page.continueToken)
        }
        #expect(expired?.code == 410)
        #expect(expired?.reason == "Expired")
        let malformed = #expect(throws: KubeStatus.self) {
            try store.list(.sparkApplications, filter: ObjectFilter(), limit: 1, continueToken: "bm90LWEtdG9rZW4=")
        }
        #expect(malformed?.code == 400)
    }

    @Test func watchReplaysFromAResourceVersionThenFollows() async throws {
        let store = ObjectStore()
        try store.create(.sparkApplications, namespace: "a", object: Self.app("one"))  // rv 1
        try store.create(.pods, namespace: "a", object: ["metadata": ["name": "p"]])  // rv 2, other resource
        try store.modify(.sparkApplications, namespace: "a", name: "one") { $0[path: ["status", "s"]] = "x" }  // rv 3
        let watch = try store.watch(.sparkApplications, filter: ObjectFilter(namespace: "a"), from: .after(1))
        try store.delete(.sparkApplications, namespace: "a", name: "one")  // rv 4
        var iterator = watch.events.makeAsyncIterator()
        let modified = await iterator.next()
        #expect(modified?.type == .modified)
        #expect(modified?.object.resourceVersion == 3)
        let deleted = await iterator.next()
        #expect(deleted?.type == .deleted)
        #expect(deleted?.object.resourceVersion == 4)
        watch.cancel()
        #expect(await iterator.next() == nil)
        #expect(store.watcherCount == 0)
    }

    @Test func watchFromCurrentStateStartsWithSyntheticAdds() async throws {
        let store = ObjectStore()
        try store.create(.sparkApplications, namespace: "a", object: Self.app("one"))
        try store.create(.sparkApplications, namespace: "b", object: Self.app("two"))
        let watch = try store.watch(.sparkApplications, filter: ObjectFilter(), from: .currentState)
        var iterator = watch.events.makeAsyncIterator()
        #expect(await iterator.next()?.object.name == "one")
        #expect(await iterator.next()?.object.name == "two")
        try store.create(.sparkApplications, namespace: "a", object: Self.app("three"))
        let added = await iterator.next()
        #expect(added?.type == .added)
        #expect(added?.object.name == "three")
    }

    @Test func tooOldResourceVersionIsExpired() throws {
        let store = ObjectStore(historyLimit: 2)
        for index in 0..<5 { try store.create(.sparkApplications, namespace: "a", object: Self.app("app-\(index)")) }
        let status = #expect(throws: KubeStatus.self) { try store.watch(.sparkApplications, filter: ObjectFilter(), from: .after(1)) }
        #expect(status?.code == 410)
        #expect(status?.reason == "Expired")
        #expect(status?.message == "too old resource version: 1 (4)")
        // The oldest version still covered by the history is fine.
        _ = try store.watch(.sparkApplications, filter: ObjectFilter(), from: .after(3))
    }

    @Test func selectorWatchSeesObjectsEnterAndLeave() async throws {
        let store = ObjectStore()
        try store.create(.sparkApplications, namespace: "a", object: Self.app("one", labels: ["queue": "x"]))
        let selector = try LabelSelector(parsing: "queue=y")
        let watch = try store.watch(.sparkApplications, filter: ObjectFilter(labels: selector), from: .after(1))
        try store.modify(.sparkApplications, namespace: "a", name: "one") { $0[path: ["metadata", "labels", "queue"]] = "y" }
        try store.modify(.sparkApplications, namespace: "a", name: "one") { $0[path: ["metadata", "labels", "queue"]] = "z" }
        var iterator = watch.events.makeAsyncIterator()
        let entered = await iterator.next()
        #expect(entered?.type == .added)
        let left = await iterator.next()
        #expect(left?.type == .deleted)
        // The DELETED object is its last matching state, stamped with the change's version.
        #expect(left?.object[path: ["metadata", "labels", "queue"]] == "y")
        #expect(left?.object.resourceVersion == 3)
    }

    @Test func aWatcherThatFallsBehindIsClosed() async throws {
        let store = ObjectStore(watchBufferLimit: 3)
        let watch = try store.watch(.sparkApplications, filter: ObjectFilter(), from: .after(0))
        for index in 0..<10 { try store.create(.sparkApplications, namespace: "a", object: Self.app("app-\(index)")) }
        #expect(store.watcherCount == 0)
        var received = 0
        for await _ in watch.events { received += 1 }
        #expect(received == 3)
    }

    @Test func bookmarkCarriesTheCurrentVersionAfterQueuedEvents() async throws {
        let store = ObjectStore()
        let watch = try store.watch(.sparkApplications, filter: ObjectFilter(), from: .currentState)
        try store.create(.pods, namespace: "a", object: ["metadata": ["name": "p"]])
        try store.create(.sparkApplications, namespace: "a", object: Self.app("one"))
        watch.requestBookmark()
        var iterator = watch.events.makeAsyncIterator()
        #expect(await iterator.next()?.type == .added)
        let bookmark = await iterator.next()
        #expect(bookmark?.type == .bookmark)
        #expect(bookmark?.object.resourceVersion == 2)
        #expect(bookmark?.object["kind"] == "SparkApplication")
    }

    /// The count limit bounds the whole history (any dropped change expires older versions of every
    /// type); the time window, like the watch cache's, is kept per resource type: an expired pod event
    /// does not expire a watch of applications.
    @Test func historyIsBoundedInCountAndPerResourceTypeInTime() async throws {
        let counted = ObjectStore(historyLimit: 2)
        try counted.create(.sparkApplications, namespace: "a", object: Self.app("one"))  // 1
        for name in ["p1", "p2", "p3"] { try counted.create(.pods, namespace: "a", object: ["metadata": ["name": .string(name)]]) }  // 2, 3, 4
        #expect(throws: KubeStatus.self) { try counted.watch(.sparkApplications, filter: ObjectFilter(), from: .after(1)) }
        _ = try counted.watch(.sparkApplications, filter: ObjectFilter(), from: .after(2))

        let timed = ObjectStore(historyWindow: .milliseconds(200))
        try timed.create(.sparkApplications, namespace: "a", object: Self.app("one"))  // 1
        _ = try timed.watch(.sparkApplications, filter: ObjectFilter(), from: .after(0))
        try await Task.sleep(for: .milliseconds(300))
        try timed.create(.pods, namespace: "a", object: ["metadata": ["name": "p"]])  // 2
        let expired = #expect(throws: KubeStatus.self) { try timed.watch(.sparkApplications, filter: ObjectFilter(), from: .after(0)) }
        #expect(expired?.code == 410)
        _ = try timed.watch(.sparkApplications, filter: ObjectFilter(), from: .after(1))
        _ = try timed.watch(.pods, filter: ObjectFilter(), from: .after(1))
        try await Task.sleep(for: .milliseconds(300))
        try timed.create(.leases, namespace: "a", object: ["metadata": ["name": "l"]])  // 3: expires the pod event
        _ = try timed.watch(.sparkApplications, filter: ObjectFilter(), from: .after(1))
        #expect(throws: KubeStatus.self) { try timed.watch(.pods, filter: ObjectFilter(), from: .after(1)) }
    }
}
