// swift-tools-version:6.0
// A tiny server for bench/http/run.sh, kept out of the main package so `swift build` there is unaffected.
import Foundation
import PackageDescription

// A path dependency's identity is its directory name, which depends on where the repository is
// checked out; compute it instead of hard-coding it.
let root = URL(fileURLWithPath: Context.packageDirectory).appendingPathComponent("../../..").standardized

let package = Package(
    name: "HTTPBenchServer",
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "HTTPBenchServer",
            dependencies: [.product(name: "HTTPServing", package: root.lastPathComponent.lowercased())]
        )
    ],
    swiftLanguageModes: [.v6]
)
