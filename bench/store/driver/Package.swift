// swift-tools-version:6.0
// Benchmark driver for the Persistence stores; depends on the main package by path.
import Foundation
import PackageDescription

// SwiftPM names a path dependency after its directory, which differs between checkouts and worktrees.
// (The driver sits in its own directory so its name cannot collide with a checkout named `store`.)
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().lastPathComponent.lowercased()

let package = Package(
    name: "store-bench",
    dependencies: [.package(path: "../../..")],
    targets: [
        .executableTarget(
            name: "StoreBench",
            dependencies: [.product(name: "Persistence", package: rootIdentity)]
        )
    ],
    swiftLanguageModes: [.v6]
)
