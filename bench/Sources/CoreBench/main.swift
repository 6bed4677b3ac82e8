// Per-submission cost of GatewayCore on one core: decode the request JSON, validate, route, translate,
// and encode the SparkApplication JSON. Reference, measured in the same run: a plain JSONDecoder +
// JSONEncoder round trip of the same request.
import BenchSupport
import Foundation
import GatewayCore
import JSON

let requestJSON = Data(
    #"""
    {"applicationName":"nightly-etl","sparkVersion":"3.5.0","mainApplicationFile":"s3a://bucket/jobs/etl.py",
     "arguments":["--date","2024-01-01","--mode","full"],"queue":"poc","submissionIdSuffix":"nightly",
     "sparkConf":{"spark.sql.shuffle.partitions":"400","spark.executor.instances":"20","bpg.maxRunningMillis":"3600000"},
     "driver":{"cores":2,"memory":"4g","env":[{"name":"ENV","value":"prod"},{"name":"HOST_IP","valueFrom":{"fieldRef":{"fieldPath":"status.hostIP"}}}],
               "labels":{"dag_name":"etl","task_name":"load"}},
     "executor":{"instances":20,"cores":4,"memory":"8g","coreLimit":"4500m"}}
    """#.utf8)

func configuration() -> GatewayConfiguration {
    var config = GatewayConfiguration()
    for (id, weight) in [("c01", 100), ("spark-cluster-a", 100), ("c03", 800)] {
        var cluster = SparkClusterConfiguration(id: id)
        cluster.weight = weight
        cluster.sparkVersions = ["3.5.0"]
        cluster.queues = ["poc"]
        cluster.sparkApplicationNamespace = "spark-applications"
        cluster.sparkServiceAccount = "spark"
        cluster.batchScheduler = "yunikorn"
        cluster.ttlSeconds = 86400
        cluster.sparkConf = ["spark.kubernetes.executor.podNamePrefix": "{spark-application-resource-name}"]
        cluster.driver = SparkPodSpec(env: [EnvVar(name: "CLUSTER", value: id)])
        config.sparkClusters.append(cluster)
    }
    var queue = QueueConfiguration(name: "poc")
    queue.driverNodeLabelValues = ["spark_driver"]
    queue.executorNodeLabelValues = ["spark_executor"]
    queue.allowedZones = ["zone-a", "zone-b"]
    config.queues = [queue]
    config.sparkImages = [SparkImageConfiguration(name: "spark:3.5.0", types: ["Java", "Scala", "Python"], version: "3.5.0")]
    config.defaultSparkConf = ["spark.eventLog.enabled": "false"]
    config.fixedSparkConf = ["spark.authenticate": "true"]
    return config
}

struct Bench {
    let planner = SubmissionPlanner(configuration: configuration())
    let encoder = JSONEncoder()

    @inline(never)
    func submitOnce() throws -> Int {
        var random = SystemRandomNumberGenerator()
        let request = try SubmitApplicationRequest.decode(json: requestJSON)
        let plan = try planner.plan(request, user: "alice", using: &random)
        let cluster = plan.candidates[0]
        let app = plan.application(on: cluster, submissionId: plan.submissionId(on: cluster, using: &random))
        return app.jsonData().count
    }

    @inline(never)
    func referenceOnce() throws -> Int {
        let request = try JSONDecoder().decode(SubmitApplicationRequest.self, from: requestJSON)
        return try encoder.encode(request).count
    }
}
let bench = Bench()

/// Per-iteration times in µs of `runs` timed runs of `iterations` calls, after a warm-up: CPU time of
/// the thread (which excludes the time other processes of a shared machine hold the core) and wall time.
func measureRuns(runs: Int, iterations: Int, _ body: () throws -> Int) rethrows -> (cpu: [Double], wall: [Double]) {
    var sink = 0
    for _ in 0..<(iterations / 10) { sink &+= try body() }  // warm-up
    let clock = ContinuousClock()
    var cpu: [Double] = []
    var wall: [Double] = []
    for _ in 0..<runs {
        let cpuStart = threadCPUSeconds()
        let start = clock.now
        for _ in 0..<iterations { sink &+= try body() }
        let elapsed = clock.now - start
        cpu.append((threadCPUSeconds() - cpuStart) / Double(iterations) * 1e6)
        wall.append(elapsed.seconds / Double(iterations) * 1e6)
    }
    if sink == 42 { print("") }  // keep the work observable
    return (cpu, wall)
}

func measure(_ name: String, iterations: Int, _ body: () throws -> Int) rethrows -> Double {
    Sample(try measureRuns(runs: 5, iterations: iterations, body).cpu).median
}

let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 20_000
let runs = 5
if CommandLine.arguments.contains("--encoding") {
    encodingFigures(iterations: iterations)
    exit(0)
}
if CommandLine.arguments.contains("--submission-only") {
    let submission = try measureRuns(runs: runs, iterations: iterations, bench.submitOnce)
    print(String(format: "submission: %.2f µs CPU, %.2f µs wall (median of %d runs)", Sample(submission.cpu).median, Sample(submission.wall).median, runs))
    exit(0)
}
// Rounds alternate the submission and its reference, so a busy moment of the machine hits both.
var submissionCPU: [Double] = [], submissionWall: [Double] = [], referenceCPU: [Double] = [], referenceWall: [Double] = []
for _ in 0..<runs {
    let submission = try measureRuns(runs: 1, iterations: iterations, bench.submitOnce)
    let reference = try measureRuns(runs: 1, iterations: iterations, bench.referenceOnce)
    submissionCPU += submission.cpu
    submissionWall += submission.wall
    referenceCPU += reference.cpu
    referenceWall += reference.wall
}
let submission = Sample(submissionCPU), reference = Sample(referenceCPU)
let submissionRatio = medianRatio(submissionCPU, to: referenceCPU)
print("per submission, median of \(runs) runs of \(iterations), one core (CPU time of the thread; min, and median wall time, in brackets)")
print(String(format: "submission (decode+validate+route+translate+encode JSON): %.2f µs  [min %.2f, wall %.2f µs]  = %.0f submissions/s",
             submission.median, submission.min, Sample(submissionWall).median, 1e6 / submission.median))
print(String(format: "reference (JSONDecoder+JSONEncoder round trip of the same request): %.2f µs  [min %.2f, wall %.2f µs]",
             reference.median, reference.min, Sample(referenceWall).median))
print(String(format: "ratio submission/reference (median of per-run ratios): %.2f×", submissionRatio))
print(submission.median <= 20 ? "target ≤ 20 µs per submission: met" : "target ≤ 20 µs per submission: NOT met")
record(
    "core", "per submission, CPU (decode→encode)", submission.median, "µs",
    reference: String(format: "JSONDecoder+JSONEncoder %.2f µs", reference.median), ratio: submissionRatio,
    target: .value(.atMost, 20))

if CommandLine.arguments.contains("--parts") {
    let request = try SubmitApplicationRequest.decode(json: requestJSON)
    var rng = SystemRandomNumberGenerator()
    let plan = try bench.planner.plan(request, user: "alice", using: &rng)
    let app = plan.application(on: plan.candidates[0], submissionId: "c01-x")
    let decode = try measure("decode", iterations: 5000) { try SubmitApplicationRequest.decode(json: requestJSON).arguments?.count ?? 0 }
    let planning = try measure("plan", iterations: 5000) { var r = SystemRandomNumberGenerator(); return try bench.planner.plan(request, user: "alice", using: &r).candidates.count }
    let translate = measure("translate", iterations: 5000) { plan.application(on: plan.candidates[0], submissionId: "c01-x").spec.sparkConf?.count ?? 0 }
    let encode = measure("encode", iterations: 5000) { app.jsonData().count }
    let encoder = JSONValueEncoder()
    let encodeCodable = try measure("encode", iterations: 5000) { try encoder.encode(app).count }
    print(String(format: "parts (CPU): decode %.1f  plan %.1f  translate %.1f  encode %.1f µs (through JSONValueEncoder: %.1f µs)",
                 decode, planning, translate, encode, encodeCodable))
}

/// The gateway's response and record encodings, through the JSON module's encoder, against
/// Foundation's `JSONEncoder` (which encoded them before the module had an encoder) in the same
/// rounds: `GET /status`, `POST /spark`, and the request body stored with each submission.
func encodingFigures(iterations: Int) {
    let status = GetSubmissionStatusResponse(
        creationTime: 1_700_000_000_000, sparkApplicationId: "spark-0123456789abcdef", executionAttempts: 1,
        duration: 93_000, applicationState: "RUNNING",
        sparkUIUrl: "https://spark-ui.example.com/spark-applications/c01-0123456789abcdef0123456789abcdef")
    let submit = SubmitApplicationResponse(submissionId: "c01-0123456789abcdef0123456789abcdef")
    let stored = (try? SubmitApplicationRequest.decode(json: requestJSON))?.redactedForStorage() ?? SubmitApplicationRequest()
    let ours = JSONValueEncoder(), oursSorted = JSONValueEncoder(format: .init(sortedKeys: true))
    let foundation = JSONEncoder(), foundationSorted = JSONEncoder()
    foundationSorted.outputFormatting = [.sortedKeys]
    let cases: [(String, () throws -> Int, () throws -> Int)] = [
        ("status response", { try ours.encode(status).count }, { try foundation.encode(status).count }),
        ("submit response", { try ours.encode(submit).count }, { try foundation.encode(submit).count }),
        ("stored request (sorted keys)", { try oursSorted.encode(stored).count }, { try foundationSorted.encode(stored).count }),
    ]
    print("encoding, median of 5 rounds of \(iterations), one core (CPU time of the thread)")
    for (name, encode, reference) in cases {
        var values: [Double] = [], references: [Double] = []
        for _ in 0..<5 {
            values += (try? measureRuns(runs: 1, iterations: iterations, encode).cpu) ?? []
            references += (try? measureRuns(runs: 1, iterations: iterations, reference).cpu) ?? []
        }
        let value = Sample(values).median, referenceValue = Sample(references).median
        let ratio = medianRatio(values, to: references)
        print(String(format: "%@: %.2f µs, JSONEncoder %.2f µs, ratio %.2f", name, value, referenceValue, ratio))
        record(
            "core", "encode \(name), CPU", value, "µs",
            reference: String(format: "JSONEncoder %.2f µs", referenceValue), ratio: ratio, target: .ratio(.atMost, 1))
    }
}
