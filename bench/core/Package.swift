// swift-tools-version:6.0
// Benchmark driver for GatewayCore: its own package so the main package stays free of bench code.
import PackageDescription

let package = Package(
    name: "core-bench",
    dependencies: [.package(path: "gateway-root")],
    targets: [
        .executableTarget(
            name: "CoreBench",
            dependencies: [.product(name: "GatewayCore", package: "gateway-root")]
        )
    ],
    swiftLanguageModes: [.v6]
)
