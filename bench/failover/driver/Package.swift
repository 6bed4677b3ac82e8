// swift-tools-version:6.0
// Benchmark driver for failover: two simulated clusters and a load generator in front of a real
// `bpg serve --config` process. Depends on the main package by path.
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its directory, which differs between checkouts and worktrees.
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "failover-bench",
    dependencies: [.package(path: "../../..")],
    targets: [
        .executableTarget(
            name: "FailoverBench",
            dependencies: [.product(name: "KubeSimulator", package: rootIdentity)]
        )
    ],
    swiftLanguageModes: [.v6]
)
