import GatewayCore
import JSON

/// The Livy batch API in the OpenAPI document: its paths, served at the server root and under the
/// context path (two `servers`), and its schemas.
enum LivyOpenAPI {
    static func paths(settings: GatewaySettings.Livy, contextPath: String) -> [String: JSONValue] {
        guard settings.enabled else { return [:] }
        let root = settings.root.hasSuffix("/") ? String(settings.root.dropLast()) : settings.root
        let context = contextPath.hasSuffix("/") ? String(contextPath.dropLast()) : contextPath
        let servers = JSONValue.array(
            (context.isEmpty ? ["/"] : ["/", context]).map { ["url": .string($0)] })
        let batchId: JSONValue = [
            "name": "id", "in": "path", "required": true, "description": "The Livy batch id.", "schema": ["type": "integer"],
        ]
        let errors = [400, 401, 403, 404, 503]
        func page(_ what: String) -> [JSONValue] {
            [
                OpenAPIDocument.query("from", "The first \(what) to return (default: 0 for batches, the last `size` lines for logs)."),
                OpenAPIDocument.query("size", "How many \(what)s to return (default 100, at most 1000)."),
            ]
        }
        return [
            root: [
                "servers": servers,
                "post": OpenAPIDocument.operation(
                    "livyCreateBatch", tag: "Livy", summary: "Submit a Spark batch in Livy's format (201 Created)",
                    description: "Translated into a gateway submission and run through the same pipeline as `POST /spark`.",
                    parameters: [OpenAPIDocument.header("Idempotency-Key", "As on `POST /spark`.")],
                    requestBody: ["required": true, "content": ["application/json": ["schema": OpenAPISchemas.ref("LivyBatchRequest")]]],
                    ok: OpenAPIDocument.json("LivyBatch"), errors: errors),
                "get": OpenAPIDocument.operation(
                    "livyListBatches", tag: "Livy", summary: "Batches, lowest id first", parameters: page("batch"),
                    ok: OpenAPIDocument.json("LivyBatchList"), errors: [400, 401, 503]),
            ],
            root + "/{id}": [
                "servers": servers, "parameters": [batchId],
                "get": OpenAPIDocument.operation(
                    "livyGetBatch", tag: "Livy", summary: "A batch", ok: OpenAPIDocument.json("LivyBatch"), errors: errors),
                "delete": OpenAPIDocument.operation(
                    "livyDeleteBatch", tag: "Livy", summary: "Kill a batch (delete its SparkApplication)",
                    ok: OpenAPIDocument.json("LivyMessage"), errors: errors),
            ],
            root + "/{id}/state": [
                "servers": servers, "parameters": [batchId],
                "get": OpenAPIDocument.operation(
                    "livyGetBatchState", tag: "Livy", summary: "A batch's Livy state", ok: OpenAPIDocument.json("LivyBatchState"),
                    errors: errors),
            ],
            root + "/{id}/log": [
                "servers": servers, "parameters": [batchId],
                "get": OpenAPIDocument.operation(
                    "livyGetBatchLog", tag: "Livy", summary: "Lines of the driver's log", parameters: page("line"),
                    ok: OpenAPIDocument.json("LivyBatchLog"), errors: errors),
            ],
        ]
    }

    static func schemas(settings: GatewaySettings.Livy) -> [String: JSONValue] {
        guard settings.enabled else { return [:] }
        let string: JSONValue = ["type": "string"]
        let strings: JSONValue = ["type": "array", "items": ["type": "string"]]
        let integer: JSONValue = ["type": "integer"]
        var request: [String: JSONValue] = [:]
        for field in LivyBatchRequest.fields {
            switch field {
            case "args", "jars", "pyFiles", "files", "archives": request[field] = strings
            case "driverCores", "executorCores", "numExecutors": request[field] = integer
            case "conf": request[field] = ["type": "object", "additionalProperties": ["type": "string"]]
            default: request[field] = string
            }
        }
        let batch: JSONValue = [
            "type": "object",
            "properties": [
                "id": integer, "name": ["type": "string", "nullable": true], "owner": ["type": "string", "nullable": true],
                "proxyUser": ["type": "string", "nullable": true],
                "state": ["type": "string", "enum": ["not_started", "starting", "running", "success", "dead", "killed"]],
                "appId": ["type": "string", "nullable": true],
                "appInfo": [
                    "type": "object", "description": "`driverLogUrl`, `sparkUiUrl` and the gateway's `submissionId`.",
                    "additionalProperties": ["type": "string", "nullable": true],
                ],
                "log": strings,
            ],
        ]
        return [
            "LivyBatchRequest": ["type": "object", "required": ["file"], "properties": .object(JSONObject(request))],
            "LivyBatch": batch,
            "LivyBatchList": [
                "type": "object",
                "properties": ["from": integer, "total": integer, "sessions": ["type": "array", "items": OpenAPISchemas.ref("LivyBatch")]],
            ],
            "LivyBatchState": ["type": "object", "properties": ["id": integer, "state": string]],
            "LivyBatchLog": ["type": "object", "properties": ["id": integer, "from": integer, "total": integer, "log": strings]],
            "LivyMessage": ["type": "object", "properties": ["msg": string]],
        ]
    }
}
