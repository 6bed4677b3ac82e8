import Foundation
import KubeClient
import KubeSimulator
import Testing

/// Every operation and error case against the simulated API server over HTTPS.
struct LiveOperationsTests {
    let namespace = LiveCluster.namespace

    @Test func sparkApplicationsCreateGetListDelete() async throws {
        let live = try await LiveCluster.start()
        let client = live.client
        let created = try await client.create(SparkApplication.sparkPi("app-1", labels: ["team": "a"]), in: .sparkApplications, namespace: namespace)
        #expect(created.metadata.name == "app-1")
        #expect(created.metadata.uid != nil && created.metadata.resourceVersion != nil)
        _ = try await client.create(SparkApplication.sparkPi("app-2", labels: ["team": "b"]), in: .sparkApplications, namespace: namespace)
        _ = try await client.create(SparkApplication.sparkPi("app-3", labels: ["team": "a"]), in: .sparkApplications, namespace: namespace)

        let fetched = try await client.get(SparkApplication.self, .sparkApplications, namespace: namespace, name: "app-1")
        #expect(fetched.metadata.uid == created.metadata.uid)
        #expect(fetched.spec["sparkVersion"]?.stringValue == "3.5.3")

        let teamA = try await client.list(SparkApplication.self, .sparkApplications, namespace: namespace, options: ListOptions(labelSelector: "team=a"))
        #expect(teamA.items.map { $0.metadata.name ?? "" }.sorted() == ["app-1", "app-3"])
        #expect(teamA.metadata.resourceVersion != nil)

        // Pagination: a page of 2 with a continue token, then the rest.
        let page1 = try await client.list(SparkApplication.self, .sparkApplications, namespace: namespace, options: ListOptions(limit: 2))
        #expect(page1.items.count == 2)
        let token = try #require(page1.metadata.continue)
        let page2 = try await client.list(
            SparkApplication.self, .sparkApplications, namespace: namespace, options: ListOptions(limit: 2, continueToken: token))
        #expect(page2.items.count == 1)
        #expect(Set((page1.items + page2.items).compactMap(\.metadata.name)) == ["app-1", "app-2", "app-3"])
        let all = try await client.listAll(SparkApplication.self, .sparkApplications, namespace: namespace, pageSize: 1)
        #expect(all.items.count == 3)

        // Untyped objects work too.
        let raw = try await client.get(UntypedObject.self, .sparkApplications, namespace: namespace, name: "app-2")
        #expect(raw.metadata.name == "app-2")
        #expect(raw.json["spec"]?["mainClass"]?.stringValue == "org.apache.spark.examples.SparkPi")

        try await client.delete(.sparkApplications, namespace: namespace, name: "app-1", propagationPolicy: .foreground)
        await expectCode(.notFound) {
            _ = try await client.get(SparkApplication.self, .sparkApplications, namespace: namespace, name: "app-1")
        }
        await live.stop()
    }

    @Test func apiErrorsDecodeToCodes() async throws {
        let live = try await LiveCluster.start()
        let client = live.client
        _ = try await client.create(SparkApplication.sparkPi("dup"), in: .sparkApplications, namespace: namespace)
        await expectCode(.alreadyExists) { _ = try await client.create(SparkApplication.sparkPi("dup"), in: .sparkApplications, namespace: namespace) }
        await expectCode(.notFound) { try await client.delete(.sparkApplications, namespace: namespace, name: "nope") }

        var invalid = SparkApplication.sparkPi("bad")
        invalid.spec = .object(["type": .string("Cobol")])
        do {
            _ = try await client.create(invalid, in: .sparkApplications, namespace: namespace)
            Issue.record("an invalid application was accepted")
        } catch {
            #expect(error.code == .invalid)
            #expect(!error.causes.isEmpty)
            #expect(error.causes.contains { $0.field?.hasPrefix("spec.") ?? false })
        }

        live.cluster.failNextCreates(1, status: 500)
        await expectCode(.serverError, retriable: true) { _ = try await client.create(SparkApplication.sparkPi("x1"), in: .sparkApplications, namespace: namespace) }
        live.cluster.failNextCreates(1, status: 503)
        await expectCode(.serverError, retriable: true) { _ = try await client.create(SparkApplication.sparkPi("x2"), in: .sparkApplications, namespace: namespace) }
        live.cluster.failNextCreates(1, status: 429)
        do {
            _ = try await client.create(SparkApplication.sparkPi("x3"), in: .sparkApplications, namespace: namespace)
            Issue.record("429 expected")
        } catch {
            #expect(error.code == .tooManyRequests && error.isRetriable)
            #expect(error.retryAfter != nil)
        }
        // After the injected failures, creates work again.
        _ = try await client.create(SparkApplication.sparkPi("x4"), in: .sparkApplications, namespace: namespace)

        // A stale resourceVersion on update is a conflict.
        let lease = try await client.createLease(Lease(metadata: ObjectMeta(name: "l"), spec: .init(holderIdentity: "a")), namespace: namespace)
        var first = lease
        first.spec?.holderIdentity = "b"
        _ = try await client.updateLease(first, namespace: namespace)
        var stale = lease
        stale.spec?.holderIdentity = "c"
        await expectCode(.conflict) { _ = try await client.updateLease(stale, namespace: namespace) }
        await live.stop()
    }

    @Test func aWrongTokenIsUnauthorizedAndNotRetriable() async throws {
        let live = try await LiveCluster.start(client: { $0.authentication = .bearerToken("not-the-token") })
        await expectCode(.unauthorized) { _ = try await live.client.pod(named: "p", namespace: "spark") }
        await live.stop()
    }

    @Test func connectionsAreReusedAcrossCalls() async throws {
        let live = try await LiveCluster.start()
        for index in 0..<20 {
            _ = try await live.client.create(SparkApplication.sparkPi("reuse-\(index)"), in: .sparkApplications, namespace: namespace)
        }
        #expect(live.client.connectionsOpened == 1, "twenty calls, one connection (one TLS handshake)")
        // Concurrent calls may need more connections on HTTP/1.1, but they are reused afterwards.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<8 {
                group.addTask { _ = try await live.client.get(SparkApplication.self, .sparkApplications, namespace: "spark", name: "reuse-\(index)") }
            }
            try await group.waitForAll()
        }
        let afterBurst = live.client.connectionsOpened
        #expect(afterBurst <= 9)
        for index in 0..<10 {
            _ = try await live.client.get(SparkApplication.self, .sparkApplications, namespace: namespace, name: "reuse-\(index)")
        }
        #expect(live.client.connectionsOpened == afterBurst)
        await live.stop()
    }

    @Test func podsEventsSecretsLeasesAndHealth() async throws {
        let live = try await LiveCluster.start()
        let client = live.client
        try live.cluster.seedPod(namespace: namespace, name: "app-driver", labels: ["spark-role": "driver"])
        let pod = try await client.pod(named: "app-driver", namespace: namespace)
        #expect(pod.status?.phase == "Running")
        #expect(pod.spec?.containers?.first?.name == "spark-kubernetes-driver")

        try live.cluster.seedEvent(namespace: namespace, name: "e1", involving: "app", reason: "SparkDriverRunning")
        try live.cluster.seedEvent(namespace: namespace, name: "e2", involving: "other", reason: "Noise")
        let events = try await client.events(namespace: namespace, fieldSelector: "involvedObject.name=app")
        #expect(events.map(\.reason) == ["SparkDriverRunning"])

        live.cluster.putSecret(namespace: namespace, name: "creds", data: ["token": Data("s3cr3t-value".utf8)])
        let secret = try await client.secret(named: "creds", namespace: namespace)
        #expect(secret.data?["token"] == Data("s3cr3t-value".utf8))
        #expect(!secret.description.contains("s3cr3t") && secret.description.contains("token"))
        await expectCode(.notFound) { _ = try await client.secret(named: "missing", namespace: namespace) }

        let now = KubeTime.formatMicro(Date())
        let lease = try await client.createLease(
            Lease(metadata: ObjectMeta(name: "bpg-leader"), spec: .init(holderIdentity: "replica-1", leaseDurationSeconds: 15, acquireTime: now, renewTime: now)),
            namespace: namespace)
        #expect(lease.spec?.holderIdentity == "replica-1")
        await expectCode(.alreadyExists) {
            _ = try await client.createLease(Lease(metadata: ObjectMeta(name: "bpg-leader"), spec: .init(holderIdentity: "replica-2")), namespace: namespace)
        }
        var renewed = try await client.lease(named: "bpg-leader", namespace: namespace)
        renewed.spec?.renewTime = KubeTime.formatMicro(Date())
        let updated = try await client.updateLease(renewed, namespace: namespace)
        #expect(updated.metadata.resourceVersion != lease.metadata.resourceVersion)

        let health = try await client.probeHealth()
        #expect(health.endpoint == "/readyz")
        await live.stop()
    }

    @Test func podLogsWithLimitsAndFollow() async throws {
        let live = try await LiveCluster.start()
        let client = live.client
        try live.cluster.seedPod(namespace: namespace, name: "logger")
        live.cluster.podLogs.append(namespace: namespace, pod: "logger", lines: (1...10).map { "line \($0)" })

        var tail: [String] = []
        for try await line in try await client.podLogLines(named: "logger", namespace: namespace, options: PodLogOptions(tailLines: 3)) {
            tail.append(line)
        }
        #expect(tail == ["line 8", "line 9", "line 10"])

        var bytes = Data()
        for try await chunk in try await client.podLogs(named: "logger", namespace: namespace, options: PodLogOptions(limitBytes: 12)) {
            bytes.append(chunk)
        }
        #expect(String(decoding: bytes, as: UTF8.self) == "line 1\nline ")

        await expectCode(.notFound) { _ = try await client.podLogs(named: "no-such-pod", namespace: namespace) }

        // Follow: lines arrive as they are written, and the stream ends when the container does.
        let stream = try await client.podLogLines(named: "logger", namespace: namespace, options: PodLogOptions(tailLines: 1, follow: true))
        let collector = Task {
            var lines: [String] = []
            for try await line in stream { lines.append(line) }
            return lines
        }
        try await Task.sleep(for: .milliseconds(200))
        live.cluster.podLogs.append(namespace: namespace, pod: "logger", lines: ["line 11", "line 12"])
        try await Task.sleep(for: .milliseconds(200))
        live.cluster.podLogs.finish(namespace: namespace, pod: "logger")
        let followed = try await collector.value
        #expect(followed == ["line 10", "line 11", "line 12"])
        await live.stop()
    }

    @Test func breakingOutOfAFollowedLogClosesTheTransfer() async throws {
        let live = try await LiveCluster.start()
        try live.cluster.seedPod(namespace: namespace, name: "chatty")
        live.cluster.podLogs.append(namespace: namespace, pod: "chatty", lines: ["first"])
        do {
            let stream = try await live.client.podLogLines(named: "chatty", namespace: namespace, options: PodLogOptions(follow: true))
            for try await line in stream {
                #expect(line == "first")
                break
            }
        }
        // The client still works, and shutting down does not wait for the abandoned follow.
        _ = try await live.client.pod(named: "chatty", namespace: namespace)
        await live.stop()
    }

    @Test func cancellingACallEndsItPromptly() async throws {
        let live = try await LiveCluster.start()
        // Far longer than the bound below, so only cancellation can end the call in time even on a
        // loaded machine.
        live.cluster.setLatency(.seconds(60))
        let start = ContinuousClock.now
        let call = Task { try await live.client.pod(named: "slow", namespace: namespace) }
        try await Task.sleep(for: .milliseconds(100))
        call.cancel()
        do {
            _ = try await call.value
            Issue.record("a cancelled call returned a value")
        } catch let error as KubeError {
            #expect(error.code == .cancelled)
        }
        #expect(ContinuousClock.now - start < .seconds(10))
        live.cluster.setLatency(.zero)
        await live.stop()
    }

    @Test func requestTimeoutIsEnforced() async throws {
        let live = try await LiveCluster.start(client: { $0.requestTimeout = .milliseconds(300) })
        live.cluster.setLatency(.seconds(2))
        await expectCode(.timeout, retriable: true) { _ = try await live.client.pod(named: "slow", namespace: "spark") }
        live.cluster.setLatency(.zero)
        await live.stop()
    }

    @Test func aStoppedServerIsConnectionRefusedThenRecovers() async throws {
        let live = try await LiveCluster.start()
        _ = try await live.client.probeHealth()
        await live.cluster.stopAnswering()
        await expectCode(.connectionRefused, retriable: true) { _ = try await live.client.probeHealth() }
        try live.cluster.resumeAnswering()
        _ = try await live.client.probeHealth()
        await live.stop()
    }

    @Test func secretEncodingsResolveThroughTheLocalCluster() async throws {
        let live = try await LiveCluster.start()
        live.cluster.putSecret(namespace: "bpg", name: "cluster-tokens", data: ["c01": Data("token-from-k8s".utf8)])
        let resolver = SecretValueResolver(environment: [:], localCluster: live.client, localNamespace: "bpg", attempts: 2, retryDelay: .milliseconds(10))
        #expect(try await resolver.resolve("k8s:secret:bpg:cluster-tokens:c01", field: "userTokenSOPS", clusterID: "c01") == "token-from-k8s")
        #expect(try await resolver.resolve("k8s:secret::cluster-tokens:c01", field: "userTokenSOPS", clusterID: "c01") == "token-from-k8s")
        do {
            _ = try await resolver.resolve("k8s:secret:bpg:cluster-tokens:missing", field: "userTokenSOPS", clusterID: "c01")
            Issue.record("a missing key resolved")
        } catch {
            #expect(error.message.contains("userTokenSOPS") && !error.message.contains("token-from-k8s"))
        }
        await live.stop()
    }

    private func expectCode(
        _ code: KubeError.Code, retriable: Bool = false, sourceLocation: SourceLocation = #_sourceLocation,
        _ body: () async throws -> Void
    ) async {
        do {
            try await body()
            Issue.record("expected \(code), got success", sourceLocation: sourceLocation)
        } catch {
            guard let error = error as? KubeError else {
                Issue.record("expected a KubeError, got \(error)", sourceLocation: sourceLocation)
                return
            }
            #expect(error.code == code, "\(error)", sourceLocation: sourceLocation)
            #expect(error.isRetriable == retriable, sourceLocation: sourceLocation)
            #expect(error.clusterID == "sim", sourceLocation: sourceLocation)
        }
    }
}
