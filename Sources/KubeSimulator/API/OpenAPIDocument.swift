import JSON

/// The OpenAPI v3 documents of the loaded CRD, as far as kubectl reads them: `/openapi/v3` lists the
/// group-version, whose document carries the CRD's schema (for `kubectl explain`) and the item path's
/// PATCH operation with its `fieldValidation` parameter (from which kubectl learns that the server
/// validates fields itself, so `kubectl apply` and `create` need no `--validate=false`).
enum OpenAPIDocument {
    static func root(_ crd: CustomResourceDefinition) -> JSONValue {
        [
            "paths": [
                "apis/\(crd.group)/\(crd.version)": [
                    "serverRelativeURL": .string("/openapi/v3/apis/\(crd.group)/\(crd.version)?hash=\(crd.group.count)\(crd.version)")
                ]
            ]
        ]
    }

    /// `io.k8s.sparkoperator.v1beta2.SparkApplication`: the group reversed, as the API server names CRD schemas.
    static func schemaName(_ crd: CustomResourceDefinition) -> String {
        (crd.group.split(separator: ".").reversed().map(String.init) + [crd.version, crd.kind]).joined(separator: ".")
    }

    static func groupVersion(_ crd: CustomResourceDefinition) -> JSONValue {
        let gvk: JSONValue = ["group": .string(crd.group), "version": .string(crd.version), "kind": .string(crd.kind)]
        let reference: JSONValue = ["$ref": .string("#/components/schemas/\(schemaName(crd))")]
        let object: JSONValue = ["application/json": ["schema": reference]]
        func query(_ name: String) -> JSONValue { ["name": .string(name), "in": "query", "schema": ["type": "string"]] }
        func operation(_ action: String, _ body: JSONValue? = nil) -> JSONValue {
            var operation: JSONValue = [
                "operationId": .string("\(action)\(crd.kind)"), "x-kubernetes-action": .string(action), "x-kubernetes-group-version-kind": gvk,
                "parameters": .array(["dryRun", "fieldManager", "fieldValidation"].map(query)),
                "responses": ["200": ["description": "OK", "content": object]],
            ]
            if let body { operation["requestBody"] = ["content": body] }
            return operation
        }
        let patchBody: JSONValue = [
            "application/json-patch+json": ["schema": ["type": "object"]], "application/merge-patch+json": ["schema": ["type": "object"]],
        ]
        let pathParameters: JSONValue = [
            ["name": "name", "in": "path", "required": true, "schema": ["type": "string"]],
            ["name": "namespace", "in": "path", "required": true, "schema": ["type": "string"]],
        ]
        var schema = crd.schemaJSON
        schema["x-kubernetes-group-version-kind"] = [gvk]
        return [
            "openapi": "3.0.0", "info": ["title": "Kubernetes CRD Swagger", "version": "v0.1.0"],
            "paths": [
                .init(stringLiteral: "/apis/\(crd.group)/\(crd.version)/namespaces/{namespace}/\(crd.plural)/{name}"): [
                    "get": operation("get"), "put": operation("put", object), "patch": operation("patch", patchBody),
                    "delete": operation("delete"), "parameters": pathParameters,
                ],
                .init(stringLiteral: "/apis/\(crd.group)/\(crd.version)/namespaces/{namespace}/\(crd.plural)"): [
                    "get": operation("list"), "post": operation("post", object),
                    "parameters": [["name": "namespace", "in": "path", "required": true, "schema": ["type": "string"]]],
                ],
            ],
            "components": ["schemas": .object(JSONObject([(key: schemaName(crd), value: schema)]))],
        ]
    }
}
