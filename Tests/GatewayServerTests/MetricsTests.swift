import Foundation
import GatewayCore
import HTTPServing
import TestSupport
import Testing

@testable import Gateway

/// The metrics registry's exposition format, and `/metrics` of a gateway in process.
struct MetricsTests {
    // MARK: Registry and format

    @Test func counterRendersExactly() {
        let registry = MetricsRegistry()
        let requests = registry.counter("test_requests_total", help: "Requests served.", labelNames: ["route", "method"])
        requests.labels("/b", "GET").increment(by: 2)
        requests.labels("/a", "POST").increment()
        requests.labels("/b", "GET").increment()
        #expect(
            registry.render() == """
                # HELP test_requests_total Requests served.
                # TYPE test_requests_total counter
                test_requests_total{method="GET",route="/b"} 3
                test_requests_total{method="POST",route="/a"} 1

                """)
    }

    @Test func histogramBucketsAreCumulativeAndInclusive() {
        let registry = MetricsRegistry()
        let latency = registry.histogram("test_seconds", help: "Latency.", labelNames: ["route"], buckets: [0.25, 1, 2.5])
        let series = latency.labels("/x")
        series.observe(0.25)  // on a bound: counts in that bucket (le is "less or equal")
        series.observe(0.5)
        series.observe(3)
        #expect(
            registry.render() == """
                # HELP test_seconds Latency.
                # TYPE test_seconds histogram
                test_seconds_bucket{route="/x",le="0.25"} 1
                test_seconds_bucket{route="/x",le="1"} 2
                test_seconds_bucket{route="/x",le="2.5"} 2
                test_seconds_bucket{route="/x",le="+Inf"} 3
                test_seconds_sum{route="/x"} 3.75
                test_seconds_count{route="/x"} 3

                """)
    }

    @Test func defaultBucketsAreThePrometheusLatencyBuckets() throws {
        let registry = MetricsRegistry()
        registry.histogram("test_seconds", help: "h").labels().observe(0.007)
        let bounds = registry.render().split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: "le=\"") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != "\"" })
        }
        #expect(bounds == ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "+Inf"])
        #expect(registry.render().contains("test_seconds_bucket{le=\"0.01\"} 1\n"))
        #expect(registry.render().contains("test_seconds_bucket{le=\"0.005\"} 0\n"))
    }

    @Test func labelValuesAndHelpAreEscaped() {
        let registry = MetricsRegistry()
        registry.counter("test_total", help: "Line one\nback\\slash \"quoted\"", labelNames: ["path"])
            .labels("a\\b\"c\nd").increment()
        #expect(
            registry.render() == """
                # HELP test_total Line one\\nback\\\\slash "quoted"
                # TYPE test_total counter
                test_total{path="a\\\\b\\"c\\nd"} 1

                """)
    }

    @Test(arguments: [
        (0.0, "0"), (1.0, "1"), (2.5, "2.5"), (0.005, "0.005"), (-3.0, "-3"), (1e-05, "1e-05"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"), (123456789.0, "123456789"),
    ])
    func numbersFormatAsPrometheusDoes(value: Double, text: String) {
        #expect(PrometheusText.format(value) == text)
    }

    @Test func callbackGaugesAreReadAtScrapeTime() {
        var providers = GatewayMetrics.Providers()
        providers.clusterUp = { ["b": false, "a": true] }
        let metrics = GatewayMetrics(providers: providers)
        #expect(metrics.render().contains("# TYPE bpg_cluster_up gauge\nbpg_cluster_up{cluster=\"a\"} 1\nbpg_cluster_up{cluster=\"b\"} 0\n"))
        #expect(!metrics.render().contains("bpg_monitor_lag_seconds{"))
        metrics.updateProviders {
            $0.monitorLagSeconds = { ["a": 0.25] }
            $0.monitorEvents = { ["a": 42] }
        }
        #expect(metrics.render().contains("bpg_monitor_lag_seconds{cluster=\"a\"} 0.25\n"))
        #expect(metrics.render().contains("# TYPE bpg_monitor_events_total counter\nbpg_monitor_events_total{cluster=\"a\"} 42\n"))
        #expect(throws: Never.self) { try PrometheusExposition.parse(metrics.render()) }
    }

    @Test func concurrentUpdatesAreAllCounted() async {
        let registry = MetricsRegistry()
        let counters = registry.counter("test_total", help: "c", labelNames: ["shard"])
        let histograms = registry.histogram("test_seconds", help: "h", labelNames: ["shard"])
        await withTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for i in 0..<5_000 {
                        // Series are created concurrently too, and renders run alongside.
                        counters.labels(String(i % 4)).increment()
                        histograms.labels(String(task % 2)).observe(0.001)
                        if i % 1_000 == 0 { _ = registry.render() }
                    }
                }
            }
        }
        let exposition = try? PrometheusExposition.parse(registry.render())
        let counts = exposition?.samples.filter { $0.name == "test_total" }.map(\.value) ?? []
        #expect(counts == [10_000, 10_000, 10_000, 10_000])
        let observed = exposition?.samples.filter { $0.name == "test_seconds_count" }.map(\.value) ?? []
        #expect(observed == [20_000, 20_000])
    }

    @Test func instrumentedHandlersCountErrorsByStatus() async {
        let metrics = GatewayMetrics()
        struct Opaque: Error {}
        let outcomes: [@Sendable () throws -> HTTPResponse] = [
            { .text("ok") },
            { throw HTTPError(404, "missing") },
            { throw SubmissionError.badRequest("bad field") },
            { throw Opaque() },
            { .text("created", status: 201) },
        ]
        for outcome in outcomes {
            let handler = metrics.instrument(route: "/x/{id}", method: .get) { _ in try outcome() }
            _ = try? await handler(HTTPRequest(method: .get, path: "/x/123"))
        }
        let text = metrics.render()
        for status in [200, 201, 400, 404, 500] {
            #expect(text.contains("bpg_http_requests_total{method=\"GET\",route=\"/x/{id}\",status=\"\(status)\"} 1\n"))
        }
        #expect(text.contains("bpg_http_request_duration_seconds_count{method=\"GET\",route=\"/x/{id}\"} 5\n"))
        #expect(!text.contains("123"))
    }

    @Test func submissionOutcomesAndFailovers() {
        let metrics = GatewayMetrics()
        let failedOver = SubmissionOutcomeRecorder(metrics: metrics)
        failedOver.attempt(cluster: "a", queue: "dev")
        failedOver.attempt(cluster: "b", queue: "dev")
        failedOver.finish()
        failedOver.finish(error: HTTPError(500, "counted once"))
        let invalid = SubmissionOutcomeRecorder(metrics: metrics)
        invalid.finish(error: SubmissionError.badRequest("no"))
        let exhausted = SubmissionOutcomeRecorder(metrics: metrics)
        exhausted.attempt(cluster: "a", queue: "poc")
        exhausted.finish(error: HTTPError(503, "no cluster"))
        let replay = SubmissionOutcomeRecorder(metrics: metrics)
        replay.replayed(queue: "dev")
        replay.finish()
        let text = metrics.render()
        #expect(text.contains("bpg_failovers_total{from=\"a\",to=\"b\"} 1\n"))
        #expect(text.contains("bpg_submissions_total{cluster=\"b\",outcome=\"created\",queue=\"dev\"} 1\n"))
        #expect(text.contains("bpg_submissions_total{cluster=\"none\",outcome=\"rejected\",queue=\"none\"} 1\n"))
        #expect(text.contains("bpg_submissions_total{cluster=\"a\",outcome=\"failed\",queue=\"poc\"} 1\n"))
        #expect(text.contains("bpg_submissions_total{cluster=\"none\",outcome=\"replayed\",queue=\"dev\"} 1\n"))
        #expect(!text.contains("outcome=\"failed\",queue=\"dev\""))
    }

    @Test func parserRejectsMalformedExpositions() {
        let bad = [
            "no_type_total 1\n",
            "# TYPE x counter\nx{a=\"1\" 1\n",
            "# TYPE x counter\nx notanumber\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n",
            "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n",
            "# TYPE x counter\nx 1",
        ]
        for text in bad {
            #expect(throws: (any Error).self, "\(text)") { try PrometheusExposition.parse(text) }
        }
    }

    // MARK: Live

    @Test(arguments: StoreKind.allCases)
    func liveMetricsParseAndCarryRoutePatterns(store: StoreKind) async throws {
        let user = "zq-metrics-user"
        try await withGateway(store: store) { gateway in
            let id = try await gateway.submit(user: user)
            _ = try await gateway.send("GET", "/spark/\(id)/status", user: user)
            _ = try await gateway.send("GET", "/spark/\(id)/status", user: user)
            let missing = try await gateway.send("GET", "/spark/no-such-\(user)/status", user: user)
            #expect((400..<500).contains(missing.status), "\(missing.text)")
            #expect(try await gateway.send("GET", "/healthcheck/status", user: nil).status == 401)
            // A body that parses but names no eligible cluster: counted as a rejected submission.
            let rejected = try await gateway.post("/spark", json: #"{"queue":"dev","sparkVersion":"0.1","mainApplicationFile":"x"}"#, user: user)
            #expect(rejected.status == 400, "\(rejected.text)")
            // The created outcome is written after the response.
            #expect(await gateway.gateway.submissions.outcomes.flush(timeout: .seconds(10)))

            let reply = try await gateway.send("GET", "/metrics", user: nil, fromRoot: true)
            #expect(reply.status == 200)
            #expect(reply.headers.first { $0.0.lowercased() == "content-type" }?.1 == PrometheusText.contentType)
            let text = String(decoding: reply.body, as: UTF8.self)
            let exposition = try PrometheusExposition.parse(text)

            func value(_ name: String, _ labels: [String: String]) -> Double? {
                exposition.samples.first { $0.name == name && $0.labels == labels }?.value
            }
            let statusRoute = "/skatev2/spark/{id}/status"
            #expect(value("bpg_http_requests_total", ["route": statusRoute, "method": "GET", "status": "200"]) == 2)
            #expect(value("bpg_http_requests_total", ["route": statusRoute, "method": "GET", "status": String(missing.status)]) == 1)
            #expect(value("bpg_http_requests_total", ["route": "/skatev2/healthcheck/status", "method": "GET", "status": "401"]) == 1)
            #expect(value("bpg_http_requests_total", ["route": "/skatev2/spark", "method": "POST", "status": "200"]) == 1)
            #expect(value("bpg_http_requests_total", ["route": "/skatev2/spark", "method": "POST", "status": "400"]) == 1)
            #expect(value("bpg_http_request_duration_seconds_count", ["route": statusRoute, "method": "GET"]) == 3)
            #expect(value("bpg_http_request_duration_seconds_bucket", ["route": statusRoute, "method": "GET", "le": "+Inf"]) == 3)
            let created = exposition.samples.filter {
                $0.name == "bpg_submissions_total" && $0.labels["outcome"] == "created" && $0.labels["queue"] == "dev"
            }
            #expect(created.map(\.value).reduce(0, +) == 1)
            #expect(created.allSatisfy { DevEnvironment.clusterIds.contains($0.labels["cluster"] ?? "") })
            #expect(value("bpg_submissions_total", ["cluster": "none", "queue": "none", "outcome": "rejected"]) == 1)
            #expect(value("bpg_store_operations_total", ["operation": "insert", "outcome": "ok"]) == 1)
            #expect(value("bpg_store_operations_total", ["operation": "mark_created", "outcome": "ok"]) == 1)
            // Pool gauges exist only for the MySQL store (SQLite has no pool); the MySQL test pool has 4.
            let pool = ["in_use", "idle", "waiting"].compactMap { value("bpg_store_pool_connections", ["state": $0]) }
            if store == .mysql {
                #expect(pool.count == 3)
                #expect(pool.reduce(0, +) >= 4)
            } else {
                #expect(pool.isEmpty)
            }
            for family in ["bpg_failovers_total", "bpg_cluster_up", "bpg_monitor_events_total", "bpg_monitor_lag_seconds"] {
                #expect(exposition.types[family] != nil, "\(family)")
            }
            // No path values or user names as labels: only patterns.
            #expect(!text.contains(user))
            #expect(!text.contains(id))
            #expect(exposition.samples.allSatisfy { $0.labels["route"].map { !$0.contains("no-such") } ?? true })
        }
    }

    @Test func liveFailoverIsCounted() async throws {
        try await withGateway(configure: { configuration in
            configuration.gateway.routing.maxAttempts = 2
            // Cluster A first almost always, so its failures move submissions to B.
            configuration.sparkClusters[0].weight = 1_000
            configuration.sparkClusters[1].weight = 1
        }) { gateway in
            gateway.cluster("spark-cluster-a").failNextCreates(100, status: 500)
            for _ in 0..<3 {
                _ = try await gateway.submit()
            }
            let reply = try await gateway.send("GET", "/metrics", user: nil, fromRoot: true)
            let exposition = try PrometheusExposition.parse(String(decoding: reply.body, as: UTF8.self))
            let failovers = exposition.samples.first {
                $0.name == "bpg_failovers_total" && $0.labels == ["from": "spark-cluster-a", "to": "spark-cluster-b"]
            }
            #expect((failovers?.value ?? 0) >= 1)
            let createdOnB = exposition.samples.first {
                $0.name == "bpg_submissions_total" && $0.labels == ["cluster": "spark-cluster-b", "queue": "dev", "outcome": "created"]
            }
            #expect(createdOnB?.value == 3)
            // A 500 leaves the create's outcome unknown: each failed-over attempt was recorded as such
            // (and then fenced), never as failed.
            let unknownMarks = exposition.samples.first {
                $0.name == "bpg_store_operations_total" && $0.labels == ["operation": "mark_outcome_unknown", "outcome": "ok"]
            }
            #expect(unknownMarks?.value == failovers?.value)
        }
    }
}

/// A strict reader of the Prometheus text format 0.0.4, for checking what `/metrics` serves.
struct PrometheusExposition {
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    var types: [String: String] = [:]
    var samples: [Sample] = []

    /// Checks: every line ends with a newline; `# TYPE` appears once per family, before its samples,
    /// which are contiguous; sample lines are `name{labels} value`; histogram buckets are
    /// non-decreasing, end with `+Inf` and equal `_count`.
    static func parse(_ text: String) throws -> PrometheusExposition {
        guard text.isEmpty || text.hasSuffix("\n") else { throw Malformed(description: "no final newline") }
        var result = PrometheusExposition()
        var current: String?
        var finished: Set<String> = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
            if line.hasPrefix("#") {
                let parts = line.split(separator: " ", maxSplits: 3).map(String.init)
                if parts.count >= 2, parts[1] == "TYPE" {
                    guard parts.count == 4, ["counter", "gauge", "histogram", "summary", "untyped"].contains(parts[3]) else {
                        throw Malformed(description: "bad TYPE line: \(line)")
                    }
                    guard result.types[parts[2]] == nil else { throw Malformed(description: "second TYPE for \(parts[2])") }
                    result.types[parts[2]] = parts[3]
                    if let current { finished.insert(current) }
                    current = parts[2]
                }
                continue
            }
            let sample = try parseSample(String(line))
            let family = family(of: sample.name, types: result.types)
            guard let family else { throw Malformed(description: "sample before its TYPE: \(line)") }
            guard family == current, !finished.contains(family) else {
                throw Malformed(description: "samples of \(family) are not contiguous")
            }
            result.samples.append(sample)
        }
        try result.checkHistograms()
        return result
    }

    private static func family(of name: String, types: [String: String]) -> String? {
        if types[name] != nil { return name }
        for suffix in ["_bucket", "_sum", "_count"] where name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if types[base] == "histogram" { return base }
        }
        return nil
    }

    private static func parseSample(_ line: String) throws -> Sample {
        var rest = Substring(line)
        let name = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" || $0 == ":" }
        guard let first = name.first, !first.isNumber else { throw Malformed(description: "bad metric name: \(line)") }
        rest = rest.dropFirst(name.count)
        var labels: [String: String] = [:]
        if rest.first == "{" {
            rest = rest.dropFirst()
            while rest.first != "}" {
                let labelName = rest.prefix { $0.isLetter || $0.isNumber || $0 == "_" }
                rest = rest.dropFirst(labelName.count)
                guard !labelName.isEmpty, rest.hasPrefix("=\"") else { throw Malformed(description: "bad label: \(line)") }
                rest = rest.dropFirst(2)
                var value = ""
                while true {
                    guard let character = rest.first else { throw Malformed(description: "unterminated label value: \(line)") }
                    rest = rest.dropFirst()
                    if character == "\"" { break }
                    if character == "\\" {
                        switch rest.first {
                        case "\\": value.append("\\")
                        case "\"": value.append("\"")
                        case "n": value.append("\n")
                        default: throw Malformed(description: "bad escape: \(line)")
                        }
                        rest = rest.dropFirst()
                    } else {
                        value.append(character)
                    }
                }
                guard labels.updateValue(value, forKey: String(labelName)) == nil else {
                    throw Malformed(description: "duplicate label: \(line)")
                }
                if rest.first == "," { rest = rest.dropFirst() } else if rest.first != "}" {
                    throw Malformed(description: "bad label list: \(line)")
                }
            }
            rest = rest.dropFirst()
        }
        guard rest.first == " " else { throw Malformed(description: "no value: \(line)") }
        let valueText = rest.dropFirst()
        let value: Double
        switch valueText {
        case "+Inf": value = .infinity
        case "-Inf": value = -.infinity
        case "NaN": value = .nan
        default:
            guard let parsed = Double(valueText) else { throw Malformed(description: "bad value: \(line)") }
            value = parsed
        }
        return Sample(name: String(name), labels: labels, value: value)
    }

    private func checkHistograms() throws {
        for (family, type) in types where type == "histogram" {
            var buckets: [[String: String]: [(bound: Double, count: Double)]] = [:]
            for sample in samples where sample.name == family + "_bucket" {
                var series = sample.labels
                guard let le = series.removeValue(forKey: "le") else { throw Malformed(description: "bucket without le") }
                let bound = le == "+Inf" ? Double.infinity : Double(le)
                guard let bound else { throw Malformed(description: "bad le \(le)") }
                buckets[series, default: []].append((bound, sample.value))
            }
            for (series, list) in buckets {
                guard zip(list, list.dropFirst()).allSatisfy({ $0.bound < $1.bound && $0.count <= $1.count }) else {
                    throw Malformed(description: "\(family)\(series) buckets are not increasing")
                }
                let count = samples.first { $0.name == family + "_count" && $0.labels == series }?.value
                guard list.last?.bound == .infinity, list.last?.count == count,
                    samples.contains(where: { $0.name == family + "_sum" && $0.labels == series })
                else {
                    throw Malformed(description: "\(family)\(series) lacks +Inf, _sum or a matching _count")
                }
            }
        }
    }
}
