// swift-tools-version:6.0
// Benchmark driver for the application monitor: simulated clusters, a seeded SQLite store, and the
// real `bpg serve` (monitor inside) as a child process. Depends on the main package by path.
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its directory, which differs between checkouts and worktrees.
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "monitor-bench",
    dependencies: [.package(path: "../../..")],
    targets: [
        .executableTarget(
            name: "MonitorBench",
            dependencies: [
                .product(name: "GatewayCore", package: rootIdentity),
                .product(name: "KubeClient", package: rootIdentity),
                .product(name: "KubeSimulator", package: rootIdentity),
                .product(name: "Persistence", package: rootIdentity),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
