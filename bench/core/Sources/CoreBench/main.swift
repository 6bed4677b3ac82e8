// Per-submission cost of GatewayCore on one core: decode the request JSON, validate, route, translate,
// and encode the SparkApplication JSON. Reference, measured in the same run: a plain JSONDecoder +
// JSONEncoder round trip of the same request.
import Foundation
import GatewayCore

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

/// CPU time of this thread, in seconds: unlike wall time it excludes the time other processes on a
/// shared machine hold the core.
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Best of 5 runs: (wall µs, CPU µs) per iteration.
func measureBoth(iterations: Int, _ body: () throws -> Int) rethrows -> (wall: Double, cpu: Double) {
    var sink = 0
    for _ in 0..<(iterations / 10) { sink &+= try body() }  // warm-up
    let clock = ContinuousClock()
    var best = (wall: Double.infinity, cpu: Double.infinity)
    for _ in 0..<5 {
        let cpuStart = threadCPUSeconds()
        let start = clock.now
        for _ in 0..<iterations { sink &+= try body() }
        let elapsed = clock.now - start
        let cpu = threadCPUSeconds() - cpuStart
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        best.wall = min(best.wall, seconds / Double(iterations) * 1e6)
        best.cpu = min(best.cpu, cpu / Double(iterations) * 1e6)
    }
    if sink == 42 { print("") }  // keep the work observable
    return best
}

func measure(_ name: String, iterations: Int, _ body: () throws -> Int) rethrows -> Double {
    try measureBoth(iterations: iterations, body).cpu
}

let iterations = Int(CommandLine.arguments.dropFirst().first ?? "") ?? 20_000
let submission = try measureBoth(iterations: iterations, bench.submitOnce)
if CommandLine.arguments.contains("--submission-only") {
    print(String(format: "submission: %.2f µs CPU, %.2f µs wall", submission.cpu, submission.wall))
    exit(0)
}
let reference = try measureBoth(iterations: iterations, bench.referenceOnce)
print("per submission, best of 5 runs of \(iterations), one core (CPU time of the thread; wall time in brackets)")
print(String(format: "submission (decode+validate+route+translate+encode JSON): %.2f µs  [%.2f µs wall]  = %.0f submissions/s",
             submission.cpu, submission.wall, 1e6 / submission.cpu))
print(String(format: "reference (JSONDecoder+JSONEncoder round trip of the same request): %.2f µs  [%.2f µs wall]",
             reference.cpu, reference.wall))
print(String(format: "ratio submission/reference: %.2f×", submission.cpu / reference.cpu))
print(submission.cpu <= 20 ? "target ≤ 20 µs per submission: met" : "target ≤ 20 µs per submission: NOT met")

if CommandLine.arguments.contains("--parts") {
    let request = try SubmitApplicationRequest.decode(json: requestJSON)
    var rng = SystemRandomNumberGenerator()
    let plan = try bench.planner.plan(request, user: "alice", using: &rng)
    let app = plan.application(on: plan.candidates[0], submissionId: "c01-x")
    let decode = try measure("decode", iterations: 5000) { try SubmitApplicationRequest.decode(json: requestJSON).arguments?.count ?? 0 }
    let planning = try measure("plan", iterations: 5000) { var r = SystemRandomNumberGenerator(); return try bench.planner.plan(request, user: "alice", using: &r).candidates.count }
    let translate = measure("translate", iterations: 5000) { plan.application(on: plan.candidates[0], submissionId: "c01-x").spec.sparkConf?.count ?? 0 }
    let encode = measure("encode", iterations: 5000) { app.jsonData().count }
    print(String(format: "parts (CPU): decode %.1f  plan %.1f  translate %.1f  encode %.1f µs", decode, planning, translate, encode))
}
