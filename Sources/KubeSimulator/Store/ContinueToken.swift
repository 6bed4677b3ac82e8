import Foundation
import JSON

/// The `continue` token of a paginated list, shaped like the real API server's: base64 of
/// `{"v":"meta.k8s.io/v1","rv":N,"start":"<last key>\u0000"}`. Clients must treat it as opaque.
struct ContinueToken: Hashable {
    var resourceVersion: Int
    /// The `namespace/name` key of the last object returned; the next page starts after it.
    var startAfter: String

    var encoded: String {
        let body: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(resourceVersion), "start": .string(startAfter + "\u{0}")]
        return body.serialized().base64EncodedString()
    }

    init(resourceVersion: Int, startAfter: String) {
        self.resourceVersion = resourceVersion
        self.startAfter = startAfter
    }

    /// Decodes a token; a malformed one is a 400 as in Kubernetes.
    init(decoding text: String) throws(KubeStatus) {
        let invalid = KubeStatus.badRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)")
        guard let data = Data(base64Encoded: text), let body = try? JSONValue(parsing: data),
            body["v"]?.stringValue == "meta.k8s.io/v1", let version = body["rv"]?.intValue, version > 0,
            let start = body["start"]?.stringValue
        else { throw invalid }
        resourceVersion = version
        startAfter = start.hasSuffix("\u{0}") ? String(start.dropLast()) : start
    }
}
