import JSON

/// A `metav1.Status` failure: what the API server answers instead of an object. Thrown by the store
/// and the handlers; the HTTP layer sends it as the response body with `code` as the HTTP status.
public struct KubeStatus: Error, Sendable, Hashable, CustomStringConvertible {
    /// One entry of `details.causes` (validation failures).
    public struct Cause: Sendable, Hashable {
        /// "FieldValueRequired", "FieldValueTypeInvalid", ...
        public var reason: String
        /// What is wrong, as the API server says it.
        public var message: String
        /// The dotted path of the field ("spec.driver.cores").
        public var field: String
    }

    /// The HTTP status code, also `code` in the body.
    public var code: Int
    /// The machine-readable reason: "NotFound", "AlreadyExists", "Conflict", "Invalid", "Expired", ...
    public var reason: String
    /// The human-readable message.
    public var message: String
    /// `details.name`: the object concerned.
    public var name: String?
    /// `details.group`: its API group (omitted for the core group).
    public var group: String?
    /// The resource plural, as the API server puts it in `details.kind`.
    public var kind: String?
    /// `details.causes`: one entry per invalid field.
    public var causes: [Cause] = []
    /// `details.retryAfterSeconds`, also sent as `Retry-After`.
    public var retryAfterSeconds: Int?

    public var description: String { "\(code) \(reason): \(message)" }

    /// The Status object as JSON.
    public var object: JSONValue {
        var status: JSONValue = [
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Failure",
            "message": .string(message), "reason": .string(reason), "code": .int(code),
        ]
        var details: [String: JSONValue] = [:]
        if let name { details["name"] = .string(name) }
        if let group, !group.isEmpty { details["group"] = .string(group) }
        if let kind { details["kind"] = .string(kind) }
        if !causes.isEmpty {
            details["causes"] = .array(
                causes.map { cause in
                    var entry: JSONValue = ["reason": .string(cause.reason), "message": .string(cause.message)]
                    if !cause.field.isEmpty { entry["field"] = .string(cause.field) }
                    return entry
                })
        }
        if let retryAfterSeconds { details["retryAfterSeconds"] = .int(retryAfterSeconds) }
        if !details.isEmpty { status["details"] = .object(JSONObject(details)) }
        return status
    }

    static func notFound(_ resource: ResourceType, _ name: String) -> KubeStatus {
        KubeStatus(
            code: 404, reason: "NotFound", message: "\(resource.qualifiedName) \"\(name)\" not found", name: name,
            group: resource.group, kind: resource.plural)
    }

    static func alreadyExists(_ resource: ResourceType, _ name: String) -> KubeStatus {
        KubeStatus(
            code: 409, reason: "AlreadyExists", message: "\(resource.qualifiedName) \"\(name)\" already exists",
            name: name, group: resource.group, kind: resource.plural)
    }

    static func conflict(_ resource: ResourceType, _ name: String) -> KubeStatus {
        KubeStatus(
            code: 409, reason: "Conflict",
            message:
                "Operation cannot be fulfilled on \(resource.qualifiedName) \"\(name)\": the object has been modified; please apply your changes to the latest version and try again",
            name: name, group: resource.group, kind: resource.plural)
    }

    static func invalid(_ resource: ResourceType, _ name: String, _ causes: [Cause]) -> KubeStatus {
        let summary = causes.map { "\($0.field): \($0.message)" }
        let joined = summary.count == 1 ? summary[0] : "[" + summary.joined(separator: ", ") + "]"
        return KubeStatus(
            code: 422, reason: "Invalid", message: "\(resource.kind).\(resource.group) \"\(name)\" is invalid: \(joined)",
            name: name, group: resource.group, kind: resource.kind, causes: causes)
    }

    static func badRequest(_ message: String) -> KubeStatus {
        KubeStatus(code: 400, reason: "BadRequest", message: message)
    }

    static func expired(_ message: String) -> KubeStatus {
        KubeStatus(code: 410, reason: "Expired", message: message)
    }

    static let unauthorized = KubeStatus(code: 401, reason: "Unauthorized", message: "Unauthorized")

    static func methodNotAllowed() -> KubeStatus {
        KubeStatus(code: 405, reason: "MethodNotAllowed", message: "the server does not allow this method on the requested resource")
    }

    static func pathNotFound() -> KubeStatus {
        KubeStatus(code: 404, reason: "NotFound", message: "the server could not find the requested resource")
    }
}
