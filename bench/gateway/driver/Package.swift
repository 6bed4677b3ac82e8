// swift-tools-version:6.0
// Benchmark driver for bench/gateway/run.sh: runs the simulated clusters in their own process and
// measures direct KubeClient creates. Depends on the main package by path (which also builds `bpg`).
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its directory, which differs between checkouts and worktrees.
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "gateway-bench",
    dependencies: [.package(path: "../../..")],
    targets: [
        .executableTarget(
            name: "GatewayBench",
            dependencies: [
                .product(name: "GatewayCore", package: rootIdentity),
                .product(name: "KubeClient", package: rootIdentity),
                .product(name: "KubeSimulator", package: rootIdentity),
                .product(name: "YAML", package: rootIdentity),
                .product(name: "Logging", package: rootIdentity),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
