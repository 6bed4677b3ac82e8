// swift-tools-version:6.0
// Every benchmark of the gateway in one package, kept out of the root package so `swift build` there
// is unaffected. It depends on the root package by path (which also builds `bpg` in release for the
// benchmarks that run the real binary). See README.md.
import Foundation
import PackageDescription

// The repository root is this directory's parent: the one way the benchmarks find it (bench/lib/common.sh
// exports the same directory as BENCH_ROOT for the drivers).
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent().standardized
// SwiftPM names a path dependency after its directory, which differs between checkouts and worktrees.
let gateway = root.lastPathComponent.lowercased()
// This package's own identity is "bench" (its directory): a root checked out in a directory named
// "bench" would collide with it. Say so instead of SwiftPM's "conflicting identity".
precondition(gateway != "bench", "the repository is checked out in a directory named 'bench': rename it to build the benchmarks")

func gatewayProducts(_ names: String...) -> [Target.Dependency] {
    names.map { .product(name: $0, package: gateway) }
}

let package = Package(
    name: "bench",
    products: [
        .executable(name: "BenchKit", targets: ["BenchKit"]),
        .executable(name: "CoreBench", targets: ["CoreBench"]),
        .executable(name: "KubeBench", targets: ["KubeBench"]),
        .executable(name: "HTTPBenchServer", targets: ["HTTPBenchServer"]),
        .executable(name: "StoreBench", targets: ["StoreBench"]),
        .executable(name: "GatewayBench", targets: ["GatewayBench"]),
        .executable(name: "MonitorBench", targets: ["MonitorBench"]),
        .executable(name: "FailoverBench", targets: ["FailoverBench"]),
        .executable(name: "S3Bench", targets: ["S3Bench"]),
    ],
    dependencies: [.package(path: root.path)],
    targets: [
        // Statistics, result records, the repository root: shared by every driver and by BenchKit.
        .target(name: "BenchSupport"),
        // The command line over BenchSupport for the shell scripts: statistics of numbers, and the table.
        .executableTarget(name: "BenchKit", dependencies: ["BenchSupport"]),
        .executableTarget(name: "CoreBench", dependencies: ["BenchSupport"] + gatewayProducts("GatewayCore", "JSON")),
        .executableTarget(
            name: "KubeBench",
            dependencies: ["BenchSupport"] + gatewayProducts("KubeClient", "KubeSimulator", "HTTPServing", "JSON")),
        .executableTarget(name: "HTTPBenchServer", dependencies: gatewayProducts("HTTPServing")),
        .executableTarget(name: "StoreBench", dependencies: gatewayProducts("Persistence")),
        .executableTarget(
            name: "GatewayBench",
            dependencies: ["BenchSupport"] + gatewayProducts("GatewayCore", "KubeClient", "KubeSimulator", "YAML", "Logging")),
        .executableTarget(
            name: "MonitorBench",
            dependencies: ["BenchSupport"] + gatewayProducts("GatewayCore", "KubeClient", "KubeSimulator", "Persistence")),
        .executableTarget(name: "FailoverBench", dependencies: ["BenchSupport"] + gatewayProducts("KubeSimulator")),
        .executableTarget(name: "S3Bench", dependencies: ["BenchSupport"] + gatewayProducts("ObjectStorage")),
    ],
    swiftLanguageModes: [.v6]
)
