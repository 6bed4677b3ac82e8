import GatewayCore
import HTTPServing

/// `GET <contextPath>/openapi.json`, unauthenticated as in BPG. The document is encoded once.
struct OpenAPIEndpoint: Sendable {
    let contextPath: String
    let version: VersionInfo
    var livy: GatewaySettings.Livy? = nil

    var path: String {
        (contextPath.hasSuffix("/") ? String(contextPath.dropLast()) : contextPath) + "/openapi.json"
    }

    func register(into router: inout some RouteRegistrar) {
        let document = OpenAPIDocument.make(contextPath: contextPath, version: version.version, livy: livy)
        let body = document.jsonData()
        router.add(.get, path) { _ in .json(body) }
    }
}
