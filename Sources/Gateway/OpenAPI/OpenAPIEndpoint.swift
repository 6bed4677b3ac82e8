import Foundation
import GatewayCore
import HTTPServing
import Synchronization

/// `GET <contextPath>/openapi.json`, unauthenticated as in BPG.
///
/// The document is built and encoded on the first request, then served from memory: building it
/// walks every schema, and most gateways (and every test gateway) never serve it.
struct OpenAPIEndpoint: Sendable {
    let contextPath: String
    let version: VersionInfo
    var livy: GatewaySettings.Livy? = nil

    var path: String {
        (contextPath.hasSuffix("/") ? String(contextPath.dropLast()) : contextPath) + "/openapi.json"
    }

    func register(into router: inout some RouteRegistrar) {
        let encoded = EncodedOnce { [contextPath, version, livy] in
            OpenAPIDocument.make(contextPath: contextPath, version: version.version, livy: livy).jsonData()
        }
        router.add(.get, path) { _ in .json(encoded.value) }
    }
}

/// A body computed by the first reader and kept.
private final class EncodedOnce: Sendable {
    private let make: @Sendable () -> Data
    private let cached = Mutex<Data?>(nil)

    init(_ make: @escaping @Sendable () -> Data) {
        self.make = make
    }

    var value: Data {
        if let data = cached.withLock({ $0 }) { return data }
        // Built outside the lock; two first readers at once both build it, which is harmless.
        let data = make()
        cached.withLock { $0 = data }
        return data
    }
}
