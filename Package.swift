// swift-tools-version:6.0
// The batch processing gateway: a drop-in Swift replacement for Apple's Batch Processing Gateway.
// No Swift package dependencies: only the toolchain and C libraries through system-library targets.
import PackageDescription

/// A `.systemLibrary` target for a Debian `-dev` package found through pkg-config.
func systemLibrary(_ name: String, pkgConfig: String, apt: String) -> Target {
    .systemLibrary(name: name, path: "Sources/CLibraries/\(name)", pkgConfig: pkgConfig, providers: [.apt([apt])])
}

let package = Package(
    name: "batch-processing-gateway",
    products: [
        .executable(name: "bpg", targets: ["GatewayServer"]),
        .library(name: "Gateway", targets: ["Gateway"]),
        .library(name: "GatewayCore", targets: ["GatewayCore"]),
        .library(name: "KubeClient", targets: ["KubeClient"]),
        .library(name: "KubeSimulator", targets: ["KubeSimulator"]),
        .library(name: "Persistence", targets: ["Persistence"]),
        .library(name: "HTTPServing", targets: ["HTTPServing"]),
        .library(name: "YAML", targets: ["YAML"]),
        .library(name: "JSON", targets: ["JSON"]),
        .library(name: "Logging", targets: ["Logging"]),
        .library(name: "ObjectStorage", targets: ["ObjectStorage"]),
        .library(name: "HTTPClient", targets: ["HTTPClient"]),
        .library(name: "GatewayClient", targets: ["GatewayClient"]),
    ],
    targets: [
        // C libraries, each through pkg-config, installed by scripts/setup.sh.
        systemLibrary("CCurl", pkgConfig: "libcurl", apt: "libcurl4-openssl-dev"),
        systemLibrary("CMariaDB", pkgConfig: "libmariadb", apt: "libmariadb-dev"),
        systemLibrary("CSQLite", pkgConfig: "sqlite3", apt: "libsqlite3-dev"),
        systemLibrary("CYAML", pkgConfig: "yaml-0.1", apt: "libyaml-dev"),
        systemLibrary("CMicroHTTPD", pkgConfig: "libmicrohttpd", apt: "libmicrohttpd-dev"),
        systemLibrary("CCrypto", pkgConfig: "libcrypto", apt: "libssl-dev"),
        systemLibrary("CCrypt", pkgConfig: "libcrypt", apt: "libcrypt-dev"),
        systemLibrary("CZlib", pkgConfig: "zlib", apt: "zlib1g-dev"),

        // Typed, non-variadic `gw_…` wrappers for the variadic functions and macros Swift cannot import.
        .target(
            name: "CGatewayShims",
            dependencies: ["CCurl", "CMariaDB", "CSQLite", "CMicroHTTPD"]
        ),

        // A swift-log-shaped logging facade that every module takes from its caller.
        .target(name: "Logging", dependencies: ["JSON"]),

        // Pure Swift, no dependencies: the one JSON value, parser, decoder and writer.
        .target(name: "JSON"),

        // Pure Swift: submission models, configuration, validation, routing policies, translation.
        .target(name: "GatewayCore", dependencies: ["JSON"]),

        // Supporting modules over C libraries.
        .target(name: "YAML", dependencies: ["JSON", "CYAML"]),
        .target(name: "HTTPServing", dependencies: ["JSON", "Logging", "CMicroHTTPD", "CGatewayShims"]),
        .target(name: "Cryptography", dependencies: ["JSON", "CCrypto", "CCrypt"]),

        // An HTTP client over libcurl's easy interface, a thread per transfer: S3 and the `bpg` client.
        .target(name: "HTTPClient", dependencies: ["CCurl", "CGatewayShims"]),

        // S3 over libcurl: Signature V4, the AWS credentials chain, streamed and multipart transfers.
        .target(name: "ObjectStorage", dependencies: ["HTTPClient", "CCrypto"]),

        // The gateway's REST API as a typed client for the `bpg` subcommands: contexts, the status
        // stream with its polling fallback, output rendering.
        .target(name: "GatewayClient", dependencies: ["HTTPClient", "GatewayCore", "JSON", "YAML"]),

        // The Kubernetes REST API over libcurl, and a simulated Spark-on-Kubernetes API server.
        .target(name: "KubeClient", dependencies: ["JSON", "Logging", "YAML", "CCurl", "CGatewayShims"]),
        .target(name: "KubeSimulator", dependencies: ["JSON", "YAML", "HTTPServing", "Logging"]),

        // Submission records: MySQL (MariaDB Connector/C) and embedded SQLite.
        .target(name: "Persistence", dependencies: ["GatewayCore", "Logging", "CMariaDB", "CSQLite", "CGatewayShims"]),

        // The embeddable gateway: the submission pipeline (record → create → failover → idempotency),
        // cluster health, the application monitor, record-backed queries, authentication, BPG's
        // routes, metrics and OpenAPI, composed by `GatewayApplication`. Everything but `main`.
        .target(
            name: "Gateway",
            dependencies: [
                "GatewayCore", "JSON", "KubeClient", "KubeSimulator", "Persistence", "HTTPServing", "YAML", "Cryptography",
                "Logging", "CZlib", "ObjectStorage",
            ]
        ),

        // The `bpg` executable: argument parsing, signals and printing around the `Gateway` library.
        .executableTarget(
            name: "GatewayServer",
            dependencies: ["Gateway", "GatewayCore", "GatewayClient", "KubeSimulator", "Logging"]
        ),

        // A blocking libcurl client for live tests (URLSession on Linux hangs on a 401 Basic challenge).
        .target(name: "TestSupport", dependencies: ["CCurl", "CGatewayShims", "KubeClient"], path: "Tests/TestSupport"),

        // Field enumeration and hostile values shared by the core and server fuzz tests.
        .target(name: "FuzzSupport", dependencies: ["GatewayCore"], path: "Tests/FuzzSupport"),

        .testTarget(
            name: "GatewayCoreTests", dependencies: ["GatewayCore", "JSON", "YAML", "FuzzSupport"], resources: [.copy("Fixtures")]),
        .testTarget(name: "JSONTests", dependencies: ["JSON"]),
        .testTarget(name: "YAMLTests", dependencies: ["YAML"], resources: [.copy("Fixtures")]),
        .testTarget(name: "HTTPServingTests", dependencies: ["HTTPServing", "TestSupport", "CCurl", "CGatewayShims"], resources: [.copy("Fixtures")]),
        .testTarget(name: "CryptographyTests", dependencies: ["Cryptography", "JSON"]),
        .testTarget(name: "LoggingTests", dependencies: ["Logging"]),
        .testTarget(
            name: "ObjectStorageTests",
            // KubeSimulator, KubeClient, Persistence and Logging for the log archive's end-to-end tests.
            dependencies: [
                "ObjectStorage", "HTTPClient", "Gateway", "GatewayCore", "HTTPServing", "TestSupport", "CGatewayShims", "KubeSimulator",
                "KubeClient", "Persistence", "Logging",
            ]),
        .testTarget(
            name: "KubeClientTests",
            // Gateway for the simulator's in-process exchange (`SimulatedCluster.exchange`).
            dependencies: ["KubeClient", "KubeSimulator", "HTTPServing", "TestSupport", "JSON", "Gateway"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "KubeSimulatorTests",
            dependencies: ["KubeSimulator", "KubeClient", "HTTPServing", "CCurl", "CGatewayShims", "JSON", "YAML", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "PersistenceTests", dependencies: ["Persistence", "GatewayCore", "TestSupport"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "GatewayClientTests",
            dependencies: [
                "GatewayClient", "HTTPClient", "Gateway", "GatewayCore", "KubeClient", "KubeSimulator", "HTTPServing", "Logging", "TestSupport",
                "JSON", "YAML",
            ]
        ),
        .testTarget(
            name: "GatewayServerTests",
            dependencies: [
                "Gateway", "GatewayServer", "GatewayClient", "GatewayCore", "KubeClient", "KubeSimulator", "Persistence", "HTTPServing", "TestSupport",
                "Cryptography", "JSON", "FuzzSupport",
            ],
            resources: [.copy("Fixtures")]
        ),
    ],
    swiftLanguageModes: [.v6]
)
