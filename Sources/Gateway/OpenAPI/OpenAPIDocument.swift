import GatewayCore
import JSON

/// The OpenAPI 3.0.3 description of the gateway's API, served at `<contextPath>/openapi.json`.
///
/// Written by hand from the routes and models, and kept honest by OpenAPITests: every route the server
/// registers is a path here with its method, every path here is a registered route, every `$ref` resolves,
/// and the schemas list exactly the models' fields. Differences from BPG's checked-in spec
/// (docs/bpg-compatibility.md, "OpenAPI document") are deliberate: `sparkConf` is there and no top-level
/// `annotations`; driver and executor have `labels`; hidden fields are listed with `x-bpg-hidden`;
/// `describe` has no request body; `mySubmissions` is documented.
enum OpenAPIDocument {
    /// The document for a gateway serving its API under `contextPath` (for example `/skatev2`).
    /// `livy`: the Livy batch API's settings, when its routes are served (docs/livy.md).
    static func make(contextPath: String, version: String?, livy: GatewaySettings.Livy? = nil) -> JSONValue {
        let root = contextPath.hasSuffix("/") ? String(contextPath.dropLast()) : contextPath
        return [
            "openapi": "3.0.3",
            "info": [
                "title": "Batch Processing Gateway",
                "description": "Submits Spark applications (SparkApplication, sparkoperator.k8s.io/v1beta2) to several Kubernetes clusters and reports on them. Compatible with Apple's Batch Processing Gateway.",
                "version": .string(version ?? "unknown"),
            ],
            "servers": [["url": .string(root.isEmpty ? "/" : root)]],
            "security": [["basicAuth": []], ["userAccount": []]],
            "tags": [
                ["name": "Submission", "description": "Submit Spark applications and follow them."],
                ["name": "Admin", "description": "Listings and build information."],
                ["name": "Health"],
                ["name": "Meta", "description": "This document and the Prometheus metrics."],
                ["name": "Livy", "description": "Apache Livy's batch API, at the server root and under this path (docs/livy.md)."],
            ],
            "paths": .object(JSONObject(paths.merging(livy.map { LivyOpenAPI.paths(settings: $0, contextPath: root) } ?? [:]) { bpg, _ in bpg })),
            "components": [
                "schemas": .object(JSONObject(OpenAPISchemas.all.merging(livy.map(LivyOpenAPI.schemas) ?? [:]) { bpg, _ in bpg })),
                "responses": .object(JSONObject(errorResponses)),
                "securitySchemes": [
                    "basicAuth": [
                        "type": "http", "scheme": "basic",
                        "description": "With `gateway.auth.mode: htpasswd`, a password from the configured file; in BPG mode the password is not checked.",
                    ],
                    "userAccount": [
                        "type": "apiKey", "in": "header", "name": "User-Account",
                        "description": "The user name, as BPG accepts it (only from trusted proxies with `gateway.auth.mode: trustedHeader`).",
                    ],
                ],
            ],
        ]
    }

    // MARK: Paths

    static let paths: [String: JSONValue] = [
        "/spark": [
            "post": operation(
                "submitApplication", tag: "Submission", summary: "Submit a Spark application",
                description: "Validates the request, picks a cluster for the queue and Spark version, records the submission and creates the SparkApplication. A retriable failure on one cluster moves the submission to the next eligible one.",
                parameters: [
                    query("dagUser", "Runs the application as this user (the proxy user) on behalf of the caller."),
                    header(
                        "Idempotency-Key",
                        "A retried POST with the same key by the same user returns the original submission id and creates nothing; the same key with a different body is a 409."),
                    query("idempotencyKey", "The `Idempotency-Key`, for clients that cannot set headers (both given and different is a 400)."),
                ],
                requestBody: [
                    "required": true,
                    "content": [
                        "application/json": ["schema": OpenAPISchemas.ref("SubmitApplicationRequest")],
                        "application/yaml": ["schema": OpenAPISchemas.ref("SubmitApplicationRequest")],
                    ],
                ],
                ok: json("SubmitApplicationResponse"),
                errors: [400, 401, 403, 409, 413, 415, 422, 502, 503])
        ],
        "/spark/mySubmissions": [
            "get": operation(
                "listMySubmissions", tag: "Submission", summary: "The caller's submissions on every cluster",
                ok: json("GetMySubmissionsResponse"), errors: [401, 429, 502, 503])
        ],
        "/spark/{id}": [
            "parameters": [submissionId],
            "delete": operation(
                "deleteSubmission", tag: "Submission", summary: "Delete the SparkApplication (stops it)",
                ok: json("DeleteSubmissionResponse"), errors: [401, 403, 404, 502, 503]),
        ],
        "/spark/{id}/status": [
            "parameters": [submissionId],
            "get": operation(
                "getSubmissionStatus", tag: "Submission", summary: "The application's state and timings",
                ok: json("GetSubmissionStatusResponse"), errors: [401, 403, 404, 502, 503]),
        ],
        "/spark/{id}/spec": [
            "parameters": [submissionId],
            "get": operation(
                "getSubmissionSpec", tag: "Submission", summary: "The submitted SparkApplication spec (without pod environments)",
                ok: json("SparkApplicationSpec"), errors: [401, 403, 404, 502, 503]),
        ],
        "/spark/{id}/driver": [
            "parameters": [submissionId],
            "get": operation(
                "getDriverInfo", tag: "Submission", summary: "The driver pod's name and start time",
                ok: json("GetDriverInfoResponse"), errors: [401, 403, 404, 502, 503]),
        ],
        "/spark/{id}/describe": [
            "parameters": [submissionId],
            "get": operation(
                "describeSubmission", tag: "Submission", summary: "The spec as YAML followed by the application's and driver's events",
                ok: text("application/octet-stream"), errors: [401, 403, 404, 502, 503]),
        ],
        "/spark/{id}/events": [
            "parameters": [submissionId],
            "get": operation(
                "streamSubmissionEvents", tag: "Submission", summary: "The application's state transitions as Server-Sent Events",
                description: "`text/event-stream`: `retry: 3000`, then one event per state transition, oldest first (`id: <sequence>`, `event: state`, `data: SubmissionStatusEvent`), then live transitions; `: heartbeat` comments while idle; closed right after a terminal state. Same authentication, ownership and 404 as the status endpoint. Too many open streams is a 503 with `Retry-After`.",
                parameters: [
                    header("Last-Event-ID", "Resume after this sequence number."),
                    query("lastEventId", "The `Last-Event-ID`, for clients that cannot set headers."),
                ],
                ok: text("text/event-stream"), errors: [400, 401, 403, 404, 502, 503]),
        ],
        "/log": [
            "get": operation(
                "getLog", tag: "Submission",
                summary: "The driver's or an executor's log, followed while the container runs; the archived copy in `sparkLogS3Bucket` once the pod is gone",
                parameters: [
                    query("subId", "The submission id (this or `appId` is required)."),
                    query("appId", "The Spark application id (`spark-…`)."),
                    query("execId", "An executor id; the driver's log when absent."),
                    query("s3only", "Any value but `false`: read the archived copy only, not the pod."),
                ],
                ok: text("application/octet-stream"), errors: [400, 401, 403]),
        ],
        "/s3/{name}": [
            "parameters": [
                ["name": "name", "in": "path", "required": true, "description": "The file name, the last part of the key.", "schema": ["type": "string"]]
            ],
            "post": operation(
                "uploadArtifact", tag: "Submission", summary: "Upload an application file to `s3Bucket`; answers its `s3a://` URL",
                parameters: [
                    query("folder", "Store under `<s3Folder>/<folder>/<name>` (replacing an earlier upload) instead of a unique day/UUID path."),
                    query("content-length", "The body's length, when the `Content-Length` header cannot be sent."),
                ],
                requestBody: ["required": true, "content": ["application/octet-stream": ["schema": ["type": "string", "format": "binary"]]]],
                ok: json("UploadArtifactResponse"), errors: [400, 401, 413, 503]),
        ],
        "/admin/submissions": [
            "get": operation(
                "listAllSubmissions", tag: "Admin", summary: "Every submission on every cluster, one JSON object a line (admins)",
                parameters: [query("name", "Only applications with this application name.")],
                ok: [
                    "description": "Newline-delimited SubmissionSummary objects, streamed cluster by cluster.",
                    "content": ["application/x-ndjson": ["schema": OpenAPISchemas.ref("SubmissionSummary")]],
                ],
                errors: [401, 403, 429]),
        ],
        "/admin/version": [
            "get": operation(
                "getVersion", tag: "Admin", summary: "The gateway's version (admins when `gateway.auth.adminUsers` is set)", ok: json("VersionInfo"),
                errors: [401, 403])
        ],
        "/admin/clusters": [
            "get": operation(
                "listClusterHealth", tag: "Admin", summary: "Each cluster's health, breaker state, last error, latency and backlog (admins)",
                ok: json("ClusterHealthReport"), errors: [401, 403])
        ],
        "/healthcheck/status": [
            "get": operation(
                "healthcheck", tag: "Health", summary: "Liveness, BPG-compatible", ok: json("HealthcheckResponse"),
                errors: [401])
        ],
        "/openapi.json": [
            "get": operation(
                "getOpenAPI", tag: "Meta", summary: "This document", ok: ["description": "OpenAPI 3.0.3", "content": ["application/json": [:]]],
                errors: [], security: [])
        ],
        "/metrics": [
            // Served at the server root, not under the context path.
            "servers": [["url": "/"]],
            "get": operation(
                "getMetrics", tag: "Meta", summary: "Prometheus metrics (text format 0.0.4); keep it internal",
                ok: text("text/plain; version=0.0.4"), errors: [], security: []),
        ],
    ]

    // MARK: Pieces

    static let submissionId: JSONValue = [
        "name": "id", "in": "path", "required": true, "description": "The submission id.", "schema": ["type": "string"],
    ]

    static func query(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "query", "required": false, "description": .string(description), "schema": ["type": "string"]]
    }

    static func header(_ name: String, _ description: String) -> JSONValue {
        ["name": .string(name), "in": "header", "required": false, "description": .string(description), "schema": ["type": "string"]]
    }

    static func json(_ schema: String) -> JSONValue {
        ["description": "OK", "content": ["application/json": ["schema": OpenAPISchemas.ref(schema)]]]
    }

    static func text(_ contentType: String) -> JSONValue {
        ["description": "OK", "content": [contentType: ["schema": ["type": "string"]]]]
    }

    static func operation(
        _ id: String, tag: String, summary: String, description: String? = nil, parameters: [JSONValue] = [],
        requestBody: JSONValue? = nil, ok: JSONValue, errors: [Int], security: [JSONValue]? = nil
    ) -> JSONValue {
        var responses: [String: JSONValue] = ["200": ok]
        for status in errors {
            responses[String(status)] = ["$ref": .string("#/components/responses/\(errorNames[status] ?? "Error")")]
        }
        var operation: JSONValue = [
            "operationId": .string(id), "tags": [.string(tag)], "summary": .string(summary), "responses": .object(JSONObject(responses)),
        ]
        if let description { operation = operation.with("description", .string(description)) }
        if !parameters.isEmpty { operation = operation.with("parameters", .array(parameters)) }
        if let requestBody { operation = operation.with("requestBody", requestBody) }
        if let security { operation = operation.with("security", .array(security)) }
        return operation
    }

    static let errorNames: [Int: String] = [
        400: "BadRequest", 401: "Unauthorized", 403: "Forbidden", 404: "NotFound", 409: "Conflict",
        413: "PayloadTooLarge", 415: "UnsupportedMediaType", 422: "UnprocessableEntity", 429: "TooManyRequests",
        502: "BadGateway", 503: "ServiceUnavailable",
    ]

    static let errorDescriptions: [Int: String] = [
        400: "The request is invalid; the message names the field.",
        401: "No user: send `User-Account` or Basic credentials.",
        403: "Not allowed: another user's submission, an admin-only endpoint, or refused by the cluster.",
        404: "No such submission.",
        409: "The `Idempotency-Key` was used for a different request, or the cluster reports a conflict.",
        413: "The body is larger than the configured limit.",
        415: "The content type is neither JSON nor YAML.",
        422: "The cluster rejected the SparkApplication.",
        429: "Too many listing requests (20 a second).",
        502: "A cluster answered with an unexpected error.",
        503: "No cluster or the store is unavailable right now; retry after `Retry-After` seconds.",
    ]

    static var errorResponses: [String: JSONValue] {
        var responses: [String: JSONValue] = [:]
        for (status, name) in errorNames {
            var response: JSONValue = [
                "description": .string(errorDescriptions[status] ?? "Error"),
                "content": ["application/json": ["schema": OpenAPISchemas.ref("ErrorResponse")]],
            ]
            if status == 401 {
                response = response.with("headers", ["WWW-Authenticate": ["schema": ["type": "string"], "description": "`Basic realm=\"bpg\"`"]])
            }
            if status == 503 {
                response = response.with("headers", ["Retry-After": ["schema": ["type": "integer"], "description": "Seconds."]])
            }
            responses[name] = response
        }
        return responses
    }
}
