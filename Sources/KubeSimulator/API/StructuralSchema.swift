import Foundation
import JSON
import YAML

/// One node of a CRD's structural `openAPIV3Schema`: what kube-apiserver uses to prune, default and
/// validate custom resources. Only the keywords a structural schema may carry are read; a reference
/// type so that the tree of a large CRD (the SparkApplication one has thousands of nodes) is shared,
/// immutable after loading.
final class StructuralSchema: Sendable {
    let type: String?
    let properties: [String: StructuralSchema]
    /// `additionalProperties` as a schema (maps such as `sparkConf`); `nil` when absent.
    let additionalProperties: StructuralSchema?
    let items: StructuralSchema?
    let required: [String]
    let enumValues: [JSONValue]?
    let minimum: Double?
    let maximum: Double?
    let exclusiveMinimum: Bool
    let exclusiveMaximum: Bool
    let minLength: Int?
    let maxLength: Int?
    let minItems: Int?
    let maxItems: Int?
    let pattern: String?
    let nullable: Bool
    let defaultValue: JSONValue?
    let preservesUnknownFields: Bool
    let intOrString: Bool
    let embeddedResource: Bool
    /// `x-kubernetes-list-type`: `atomic` (default), `set` or `map`.
    let listType: String?
    let listMapKeys: [String]
    /// Value validations under `anyOf`/`allOf`/`oneOf` (structural schemas allow them only beside the
    /// type; the CRD uses `anyOf: [integer, string]` for quantities).
    let anyOf: [StructuralSchema]
    let allOf: [StructuralSchema]
    let oneOf: [StructuralSchema]

    init(_ json: JSONValue) {
        type = json["type"]?.stringValue
        var properties: [String: StructuralSchema] = [:]
        for (name, child) in json["properties"]?.objectValue ?? JSONObject() { properties[name] = StructuralSchema(child) }
        self.properties = properties
        if let additional = json["additionalProperties"], case .object = additional {
            additionalProperties = StructuralSchema(additional)
        } else {
            additionalProperties = nil
        }
        items = json["items"].flatMap { if case .object = $0 { StructuralSchema($0) } else { nil } }
        required = json["required"]?.arrayValue?.compactMap(\.stringValue) ?? []
        enumValues = json["enum"]?.arrayValue
        minimum = json["minimum"]?.doubleValue
        maximum = json["maximum"]?.doubleValue
        exclusiveMinimum = json["exclusiveMinimum"]?.boolValue ?? false
        exclusiveMaximum = json["exclusiveMaximum"]?.boolValue ?? false
        minLength = json["minLength"]?.intValue
        maxLength = json["maxLength"]?.intValue
        minItems = json["minItems"]?.intValue
        maxItems = json["maxItems"]?.intValue
        pattern = json["pattern"]?.stringValue
        nullable = json["nullable"]?.boolValue ?? false
        defaultValue = json["default"]
        preservesUnknownFields = json["x-kubernetes-preserve-unknown-fields"]?.boolValue ?? false
        intOrString = json["x-kubernetes-int-or-string"]?.boolValue ?? false
        embeddedResource = json["x-kubernetes-embedded-resource"]?.boolValue ?? false
        listType = json["x-kubernetes-list-type"]?.stringValue
        listMapKeys = json["x-kubernetes-list-map-keys"]?.arrayValue?.compactMap(\.stringValue) ?? []
        anyOf = json["anyOf"]?.arrayValue?.map(StructuralSchema.init) ?? []
        allOf = json["allOf"]?.arrayValue?.map(StructuralSchema.init) ?? []
        oneOf = json["oneOf"]?.arrayValue?.map(StructuralSchema.init) ?? []
    }
}

/// A CustomResourceDefinition as the simulated API server uses it: the structural schema of the
/// served version, read from the CRD's YAML (or JSON) text.
public struct CustomResourceDefinition: Sendable {
    /// `spec.group`, e.g. `sparkoperator.k8s.io`.
    public let group: String
    /// `spec.names.plural`.
    public let plural: String
    /// The served version whose schema is used.
    public let version: String
    /// `spec.names.categories` (empty when the CRD names none).
    public let categories: [String]
    /// Whether the version enables the `status` subresource.
    public let hasStatusSubresource: Bool
    /// `spec.names.kind`.
    public let kind: String
    let schema: StructuralSchema
    /// The `openAPIV3Schema` as written, for the OpenAPI v3 document kubectl reads.
    let schemaJSON: JSONValue

    /// What is wrong with a CRD file.
    public struct LoadError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads a CRD from a file (`bpg simulate-cluster --crd FILE`).
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw LoadError(description: "cannot read the CRD \(url.path): \(error.localizedDescription)")
        }
        try self.init(data: data, name: url.lastPathComponent)
    }

    /// Reads a CRD from YAML or JSON text: the first document that is a `CustomResourceDefinition`.
    public init(data: Data, name: String = "CRD") throws {
        let documents: [YAMLNode]
        do { documents = try YAML.parse(data) } catch { throw LoadError(description: "\(name): \(error)") }
        for document in documents {
            guard let json = try? JSONValue(parsing: document.jsonData()), json["kind"]?.stringValue == "CustomResourceDefinition"
            else { continue }
            try self.init(json: json, name: name)
            return
        }
        throw LoadError(description: "\(name): no CustomResourceDefinition document")
    }

    init(json: JSONValue, name: String) throws {
        guard let group = json[path: ["spec", "group"]]?.stringValue, let plural = json[path: ["spec", "names", "plural"]]?.stringValue,
            let versions = json[path: ["spec", "versions"]]?.arrayValue
        else { throw LoadError(description: "\(name): spec.group, spec.names.plural and spec.versions are required") }
        // The storage version is the one the API server validates new objects of against.
        let chosen = versions.first { $0["storage"]?.boolValue == true } ?? versions.first
        guard let chosen, let versionName = chosen["name"]?.stringValue,
            let schema = chosen[path: ["schema", "openAPIV3Schema"]], case .object = schema
        else { throw LoadError(description: "\(name): the CRD's version has no schema.openAPIV3Schema") }
        self.group = group
        self.plural = plural
        self.version = versionName
        self.categories = json[path: ["spec", "names", "categories"]]?.arrayValue?.compactMap(\.stringValue) ?? []
        self.hasStatusSubresource = chosen[path: ["subresources", "status"]] != nil
        self.kind = json[path: ["spec", "names", "kind"]]?.stringValue ?? ""
        self.schema = StructuralSchema(schema)
        self.schemaJSON = schema
    }
}
