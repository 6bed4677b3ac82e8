// Upload throughput of the ObjectStorage client against `curl --aws-sigv4` uploading the same file
// to the same moto server in the same run, and the client's RSS growth during its uploads.
// Usage: S3Bench ENDPOINT FILE ROUNDS   (bench/s3/run.sh starts moto and makes the file)
import BenchSupport
import Foundation
import ObjectStorage
import Synchronization

let arguments = CommandLine.arguments
guard arguments.count == 4, let rounds = Int(arguments[3]) else {
    print("usage: S3Bench ENDPOINT FILE ROUNDS")
    exit(2)
}
let endpoint = arguments[1]
let file = arguments[2]
let size = (try FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.intValue ?? 0
let credentials = AWSCredentials(accessKeyId: "AKIABENCHMARK", secretAccessKey: "bench-secret")
var configuration = S3Configuration(region: "us-west-2", endpoint: endpoint)
configuration.partSize = 8 << 20
let client = S3Client(configuration: configuration, credentials: StaticCredentialsProvider(credentials))
let bucket = "bench-\(getpid())"
try await client.createBucket(bucket)

/// Runs `curl --aws-sigv4 -T FILE` once and returns its wall time in seconds.
func curlUpload(key: String) throws -> Double {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = [
        "-sS", "--fail", "-o", "/dev/null", "--aws-sigv4", "aws:amz:us-west-2:s3",
        "--user", "\(credentials.accessKeyId):\(credentials.secretAccessKey)", "-H", "x-amz-content-sha256: UNSIGNED-PAYLOAD",
        "-T", file, "\(endpoint)/\(bucket)/\(key)",
    ]
    let start = ContinuousClock.now
    try process.run()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw BenchError(message: "curl exited \(process.terminationStatus)") }
    return (ContinuousClock.now - start).seconds
}

struct BenchError: Error { var message: String }

/// Samples this process's RSS every 20 ms while `work` runs; returns the work's seconds and the peak growth.
func measured(_ work: () async throws -> Void) async throws -> (seconds: Double, rssGrowthMB: Double) {
    let pid = getpid()
    let baseline = residentMegabytes(pid)
    let peak = Mutex(baseline)
    let done = Atomic(false)
    let sampler = Thread {
        while !done.load(ordering: .relaxed) {
            let now = residentMegabytes(pid)
            peak.withLock { $0 = max($0, now) }
            usleep(20_000)
        }
    }
    sampler.start()
    let start = ContinuousClock.now
    try await work()
    let seconds = (ContinuousClock.now - start).seconds
    done.store(true, ordering: .relaxed)
    return (seconds, peak.withLock { $0 } - baseline)
}

var ours: [Double] = []
var theirs: [Double] = []
var growth: [Double] = []
let mib = Double(size) / 1_048_576
for round in 1...rounds {
    let curlSeconds = try curlUpload(key: "curl-\(round)")
    try await client.deleteObject(bucket: bucket, key: "curl-\(round)")
    let result = try await measured {
        var source = try FileSource(path: file)
        let uploaded = try await client.putObject(bucket: bucket, key: "client-\(round)", from: &source)
        guard uploaded.size == size else { throw BenchError(message: "uploaded \(uploaded.size) of \(size) bytes") }
    }
    try await client.deleteObject(bucket: bucket, key: "client-\(round)")
    theirs.append(mib / curlSeconds)
    ours.append(mib / result.seconds)
    growth.append(result.rssGrowthMB)
    print(String(format: "round %d: client %.1f MiB/s (RSS +%.1f MB), curl %.1f MiB/s", round, mib / result.seconds, result.rssGrowthMB, mib / curlSeconds))
}
let ourMedian = Sample(ours).median
let curlMedian = Sample(theirs).median
// Paired rounds: the ratio is the median of the per-round ratios (bench/README.md, Statistics).
let pairedRatio = Sample(zip(ours, theirs).map { $0 / $1 }).median
let size_ = formatNumber(mib)
print(record(
    "s3", "upload \(size_) MiB, MiB/s (median of \(rounds))", ourMedian, "MiB/s",
    reference: "curl --aws-sigv4 \(formatNumber(curlMedian)) MiB/s", ratio: pairedRatio, target: .ratio(.atLeast, 0.9)).line)
print(record("s3", "client RSS growth during upload (max)", Sample(growth).max, "MB", target: .value(.atMost, 20)).line)
