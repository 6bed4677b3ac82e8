// swift-tools-version:6.0
// An example of embedding the gateway in another Swift service: a "portal" that serves its own
// routes and BPG's API under `/spark-gateway`, routing each job to the cheapest cluster BPG's rules
// allow. Its own package, depending on the gateway by path; walked through in docs/embedding.md.
import Foundation
import PackageDescription

/// The root package's identity, which SwiftPM derives from its directory name (lowercased), not
/// from its `name:`: `main`, `batch-processing-gateway`, or whatever the clone is called. Computed
/// here so the example builds from any clone without a symlink (a symlinked path dependency is not
/// rescanned for new files, which would make incremental builds of the example stale).
let gateway: String = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized
    let name = root.lastPathComponent
    return (name.hasSuffix(".git") ? String(name.dropLast(4)) : name).lowercased()
}()

let package = Package(
    name: "EmbeddedGateway",
    products: [
        .executable(name: "portal", targets: ["PortalServer"])
    ],
    dependencies: [.package(path: "../..")],
    targets: [
        // The custom routing policy: pure, depends on GatewayCore only, tests without sockets.
        .target(
            name: "CostRouting",
            dependencies: [.product(name: "GatewayCore", package: gateway)]
        ),
        // The service embedding the gateway.
        .target(
            name: "Portal",
            dependencies: [
                "CostRouting",
                .product(name: "Gateway", package: gateway),
                .product(name: "GatewayCore", package: gateway),
                .product(name: "HTTPServing", package: gateway),
                .product(name: "KubeSimulator", package: gateway),
                .product(name: "Persistence", package: gateway),
                .product(name: "Logging", package: gateway),
            ]
        ),
        // `portal [--once] [--port N]`: arguments, signals, printing.
        .executableTarget(name: "PortalServer", dependencies: ["Portal"]),
        .testTarget(
            name: "CostRoutingTests",
            dependencies: ["CostRouting", .product(name: "GatewayCore", package: gateway)]
        ),
        .testTarget(
            name: "PortalTests",
            dependencies: [
                "Portal", "CostRouting",
                .product(name: "Gateway", package: gateway),
                .product(name: "GatewayCore", package: gateway),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
