// swift-tools-version:6.0
// The driver of bench/kube/run.sh, kept out of the main package so `swift build` there is unaffected.
import Foundation
import PackageDescription

// A path dependency's identity is its directory name, which depends on where the repository is
// checked out; compute it instead of hard-coding it.
let root = URL(fileURLWithPath: Context.packageDirectory).appendingPathComponent("../../..").standardized
let identity = root.lastPathComponent.lowercased()

let package = Package(
    name: "KubeBench",
    dependencies: [.package(path: root.path)],
    targets: [
        .executableTarget(
            name: "KubeBench",
            dependencies: [
                .product(name: "KubeClient", package: identity),
                .product(name: "KubeSimulator", package: identity),
                .product(name: "HTTPServing", package: identity),
                .product(name: "JSON", package: identity),
            ]
        )
    ],
    swiftLanguageModes: [.v6]
)
