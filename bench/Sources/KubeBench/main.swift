// Drives bench/kube/run.sh: create latency of KubeClient against `curl` (one process, one reused
// connection) on the same simulated API server over HTTPS, and the informer's watch decoding rate.
import BenchSupport
import Foundation
import HTTPServing
import JSON
import KubeClient
import KubeSimulator
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count >= 3, let creates = Int(arguments[1]), let events = Int(arguments[2]) else {
    print("usage: KubeBench <creates> <events>   (BENCH_ROOT set: the TLS fixtures are read from the repository)")
    exit(2)
}
let tlsDirectory = Repository.path("Tests/KubeClientTests/Fixtures/tls")
let rounds = 3
let work = FileManager.default.temporaryDirectory.appendingPathComponent("kubebench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: work) }

func applicationJSON(_ name: String) -> String {
    #"{"apiVersion":"sparkoperator.k8s.io/v1beta2","kind":"SparkApplication","metadata":{"name":"\#(name)","labels":{"bpg/queue":"poc"}},"spec":{"type":"Scala","mode":"cluster","sparkVersion":"3.5.3","image":"spark:3.5.3","mainClass":"org.apache.spark.examples.SparkPi","mainApplicationFile":"local:///opt/spark/examples/jars/spark-examples.jar","arguments":["1000"],"sparkConf":{"spark.ui.enabled":"true"},"driver":{"cores":1,"memory":"512m","serviceAccount":"spark"},"executor":{"cores":1,"instances":2,"memory":"512m"}}}"#
}

// `KubeBench 0 <events> --decode-only`: only the typed watch-line decoding, JSONValueDecoder against
// JSONDecoder, 5 rounds each alternating, no transport: the decoder's share of the informer's rate,
// steady enough to compare two builds run back to back.
if arguments.contains("--decode-only") {
    var encoded: [Data] = []
    for index in 0..<events {
        struct Line: Encodable {
            var type: String
            var object: BenchApplication
        }
        encoded.append(try JSONEncoder().encode(Line(type: index % 3 == 0 ? "ADDED" : "MODIFIED", object: BenchApplication.sample(index, version: index + 2))))
    }
    struct Envelope: Decodable {
        var type: String
        var object: BenchApplication
    }
    func rate(_ decode: (Data) throws -> Envelope) throws -> Double {
        let start = ContinuousClock.now
        for line in encoded { _ = try decode(line) }
        return Double(encoded.count) / ((ContinuousClock.now - start).milliseconds / 1000)
    }
    let ours = JSONValueDecoder(), foundation = JSONDecoder()
    _ = try rate { try ours.decode(Envelope.self, from: $0) }
    var oursRounds: [Double] = [], referenceRounds: [Double] = []
    for _ in 0..<5 {
        oursRounds.append(try rate { try ours.decode(Envelope.self, from: $0) })
        referenceRounds.append(try rate { try foundation.decode(Envelope.self, from: $0) })
    }
    print("typed watch lines, decode only: JSONValueDecoder \(Int(Sample(oursRounds).median)) events/s, JSONDecoder \(Int(Sample(referenceRounds).median)) events/s, ratio \(format(medianRatio(oursRounds, to: referenceRounds))) (median of 5 rounds)")
    exit(0)
}

// MARK: - Create latency

var simulatorConfiguration = SimulatedClusterConfiguration()
simulatorConfiguration.operatorTimings = .uniform(.seconds(3600))  // keep the operator idle during the run
simulatorConfiguration.watchHistoryLimit = 100
let cluster = SimulatedCluster(configuration: simulatorConfiguration)
try cluster.start()
let caPEM = SimulatedCluster.developmentCertificateAuthorityPEM
let caFile = work.appendingPathComponent("ca.pem").path
try caPEM.write(toFile: caFile, atomically: true, encoding: .utf8)
let collection = "/apis/sparkoperator.k8s.io/v1beta2/namespaces/bench/sparkapplications"

let client = try KubernetesClient(configuration: KubeClientConfiguration(
    clusterID: "bench", server: cluster.baseURL, tls: .init(certificateAuthority: .pem(Data(caPEM.utf8))),
    authentication: .bearerToken("simulator-token")))

func kubeClientRound(_ prefix: String, _ count: Int) async throws -> [Double] {
    var latencies: [Double] = []
    latencies.reserveCapacity(count)
    for index in 0..<count {
        let body = Data(applicationJSON("\(prefix)-\(index)").utf8)
        let object = try JSONDecoder().decode(UntypedObject.self, from: body)
        let start = ContinuousClock.now
        _ = try await client.create(object, in: .sparkApplications, namespace: "bench")
        latencies.append((ContinuousClock.now - start).milliseconds)
    }
    return latencies
}

/// One `curl` process, one config with `count` POSTs separated by `next`: a single reused connection.
func curlRound(_ prefix: String, _ count: Int) throws -> [Double] {
    var config = ""
    for index in 0..<count {
        let body = applicationJSON("\(prefix)-\(index)").replacingOccurrences(of: "\\", with: "\\\\")
            .replacingOccurrences(of: "\"", with: "\\\"")
        config += """
            url = "\(cluster.baseURL)\(collection)"
            request = "POST"
            header = "Authorization: Bearer simulator-token"
            header = "Content-Type: application/json"
            header = "Accept: application/json"
            data = "\(body)"
            cacert = "\(caFile)"
            output = "/dev/null"
            silent
            show-error
            write-out = "%{time_total} %{http_code} %{num_connects}\\n"

            """
        if index < count - 1 { config += "next\n" }
    }
    let configFile = work.appendingPathComponent("\(prefix).curlrc").path
    try config.write(toFile: configFile, atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = ["-K", configFile]
    let output = Pipe()
    process.standardOutput = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    var latencies: [Double] = []
    var connections = 0
    for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
        let fields = line.split(separator: " ")
        guard fields.count == 3, let seconds = Double(fields[0]), fields[1] == "201" else {
            print("curl: unexpected line '\(line)'")
            exit(1)
        }
        connections += Int(fields[2]) ?? 0
        latencies.append(seconds * 1000)
    }
    if connections != 1 { print("note: curl opened \(connections) connections") }
    return latencies
}

print("creates: \(creates) per client per round, \(rounds) rounds, sequential, HTTPS to the simulated API server")
_ = try curlRound("warm-curl", 200)
_ = try await kubeClientRound("warm-kc", 200)
func format(_ value: Double) -> String { String(format: "%.3f", value) }
var curlRounds: [Sample] = []
var kubeRounds: [Sample] = []
for round in 0..<rounds {
    // The order alternates each round, so neither client always runs on the warmer server.
    if round % 2 == 0 {
        curlRounds.append(Sample(try curlRound("curl-\(round)", creates)))
        kubeRounds.append(Sample(try await kubeClientRound("kc-\(round)", creates)))
    } else {
        kubeRounds.append(Sample(try await kubeClientRound("kc-\(round)", creates)))
        curlRounds.append(Sample(try curlRound("curl-\(round)", creates)))
    }
    print("round \(round + 1): curl p50 \(format(curlRounds[round].p50)) p99 \(format(curlRounds[round].p99)) ms, KubeClient p50 \(format(kubeRounds[round].p50)) p99 \(format(kubeRounds[round].p99)) ms")
}
let curlStats = (p50: Sample(curlRounds.map(\.p50)).median, p99: Sample(curlRounds.map(\.p99)).median)
let kubeStats = (p50: Sample(kubeRounds.map(\.p50)).median, p99: Sample(kubeRounds.map(\.p99)).median)
let ratioP50 = medianRatio(kubeRounds.map(\.p50), to: curlRounds.map(\.p50))
let ratioP99 = medianRatio(kubeRounds.map(\.p99), to: curlRounds.map(\.p99))
print("medians of the \(rounds) rounds' percentiles:")
print("curl (one process, reused connection): p50 \(format(curlStats.p50)) ms  p99 \(format(curlStats.p99)) ms")
print("KubeClient:                            p50 \(format(kubeStats.p50)) ms  p99 \(format(kubeStats.p99)) ms  (connections opened: \(client.connectionsOpened))")
// How much of KubeClient's time is JSON work curl does not do: encoding the request, decoding the answer.
let sampleBody = Data(applicationJSON("json-cost").utf8)
let sampleObject = try JSONDecoder().decode(UntypedObject.self, from: sampleBody)
let jsonStart = ContinuousClock.now
for _ in 0..<1000 {
    let encoded = try JSONEncoder().encode(sampleObject)
    _ = try JSONValueDecoder().decode(UntypedObject.self, from: encoded)
}
let jsonCost = (ContinuousClock.now - jsonStart).milliseconds / 1000
print("  of which JSON encode + decode per create: \(format(jsonCost)) ms")
print("ratio KubeClient/curl (median of per-round ratios): p50 \(format(ratioP50))  p99 \(format(ratioP99))  (target: ≤ 1.0)")
record("kube", "KubeClient create p50", kubeStats.p50, "ms", reference: "curl p50 \(format(curlStats.p50)) ms", ratio: ratioP50, target: .ratio(.atMost, 1.0))
record("kube", "KubeClient create p99", kubeStats.p99, "ms", reference: "curl p99 \(format(curlStats.p99)) ms", ratio: ratioP99, target: .ratio(.atMost, 1.0))
await client.shutdown()
await cluster.shutdown()

// MARK: - Watch decoding rate

/// Pre-encoded watch lines, served by a minimal API endpoint so the server costs next to nothing.
let encoder = JSONEncoder()
var lines = Data()
var lineCount = 0
struct Line<T: Encodable>: Encodable {
    var type: String
    var object: T
}
for index in 0..<events {
    lines.append(try encoder.encode(Line(type: index % 3 == 0 ? "ADDED" : "MODIFIED", object: BenchApplication.sample(index, version: index + 2))))
    lines.append(0x0A)
    lineCount += 1
}
let payload = lines
print("watch: \(events) events, \(payload.count / events) bytes each on average, over HTTPS")

let watchServed = WatchCounter()
var router = HTTPRouterBuilder()
router.add(.get, "/apis/sparkoperator.k8s.io/v1beta2/namespaces/bench/sparkapplications") { request in
    guard request.queryValue("watch") == "true" else {
        return .json(Data(#"{"kind":"SparkApplicationList","apiVersion":"sparkoperator.k8s.io/v1beta2","metadata":{"resourceVersion":"1"},"items":[]}"#.utf8))
    }
    let first = watchServed.next() == 0
    return HTTPResponse(status: 200, headers: ["Content-Type": "application/json"], body: .stream { writer in
        guard first else {
            try await Task.sleep(for: .seconds(120))  // later reconnects just wait
            return
        }
        var offset = 0
        while offset < payload.count {
            let end = min(offset + 64 * 1024, payload.count)
            try await writer.write(payload.subdata(in: offset..<end))
            offset = end
        }
    })
}
var serverConfiguration = HTTPServerConfiguration()
serverConfiguration.port = 0
serverConfiguration.tls = .init(certificatePath: tlsDirectory + "/server.pem", privateKeyPath: tlsDirectory + "/server-key.pem")
let server = HTTPServer(configuration: serverConfiguration, responder: router.build())
try server.start()
let watchCA = try Data(contentsOf: URL(fileURLWithPath: tlsDirectory + "/ca.pem"))

final class WatchCounter: Sendable {
    private let count = Mutex(0)
    func next() -> Int {
        count.withLock { value in
            defer { value += 1 }
            return value
        }
    }
    func reset() { count.withLock { $0 = 0 } }
}

func informerRate<T: KubeObject>(_ type: T.Type) async throws -> Double {
    watchServed.reset()
    let watchClient = try KubernetesClient(configuration: KubeClientConfiguration(
        clusterID: "watch", server: "https://127.0.0.1:\(server.port)", tls: .init(certificateAuthority: .pem(watchCA))))
    var received = 0
    var start = ContinuousClock.now
    for await event in watchClient.watch(T.self, .sparkApplications, namespace: "bench") {
        switch event {
        case .resynced: start = ContinuousClock.now
        case .added, .modified, .deleted: received += 1
        }
        if received == events { break }
    }
    let elapsed = ContinuousClock.now - start
    await watchClient.shutdown()
    return Double(events) / (elapsed.milliseconds / 1000)
}

/// The reference: Foundation's JSONDecoder on the same lines in a tight loop, no transport.
struct Envelope<T: Decodable>: Decodable {
    var type: String
    var object: T
}

func decodeRate<T: Decodable>(_ type: T.Type, _ decode: (Data) throws -> T) throws -> Double {
    let split = payload.split(separator: 0x0A).map { Data($0) }
    let start = ContinuousClock.now
    for line in split { _ = try decode(line) }
    return Double(split.count) / ((ContinuousClock.now - start).milliseconds / 1000)
}

func referenceRate() throws -> Double {
    let decoder = JSONDecoder()
    return try decodeRate(Envelope<BenchApplication>.self) { try decoder.decode(Envelope<BenchApplication>.self, from: $0) }
}

_ = try await informerRate(BenchApplication.self)  // warm-up
var typedRounds: [Double] = [], untypedRounds: [Double] = [], referenceRounds: [Double] = []
for _ in 0..<rounds {
    typedRounds.append(try await informerRate(BenchApplication.self))
    untypedRounds.append(try await informerRate(UntypedObject.self))
    referenceRounds.append(try referenceRate())
}
let typed = Sample(typedRounds).median
let untyped = Sample(untypedRounds).median
let reference = Sample(referenceRounds).median
print("medians of \(rounds) rounds (typed informer: \(typedRounds.map { String(Int($0)) }.joined(separator: ", ")) events/s)")
print("JSONDecoder alone (reference, no transport): \(Int(reference)) events/s")
let fastTyped = try decodeRate(Envelope<BenchApplication>.self) { try JSONValueDecoder().decode(Envelope<BenchApplication>.self, from: $0) }
let fastUntyped = try decodeRate(Envelope<UntypedObject>.self) { try JSONValueDecoder().decode(Envelope<UntypedObject>.self, from: $0) }
print("JSONValueDecoder alone, typed / untyped:     \(Int(fastTyped)) / \(Int(fastUntyped)) events/s")
print("informer, typed SparkApplication:            \(Int(typed)) events/s  (ratio to reference \(format(typed / reference)); to the 50,000/s target \(format(typed / 50_000)))")
print("informer, UntypedObject (raw JSON):          \(Int(untyped)) events/s  (ratio to the 50,000/s target \(format(untyped / 50_000)))")
record("kube", "typed watch decoding (informer)", typed, "events/s", reference: "JSONDecoder alone \(Int(reference))/s", ratio: medianRatio(typedRounds, to: referenceRounds), target: .value(.atLeast, 50_000))
record("kube", "untyped watch decoding (informer)", untyped, "events/s", reference: "JSONDecoder alone \(Int(reference))/s", ratio: medianRatio(untypedRounds, to: referenceRounds))
await server.shutdown(gracePeriod: .milliseconds(100))

