import Foundation
import JSON

extension KubeAPI {
    // MARK: - Reads

    func get(_ request: APIRequest, _ resource: ResourceType, namespace: String, name: String) throws(KubeStatus) -> APIResponse {
        let object = try store.get(resource, namespace: namespace, name: name)
        if TableFormat.isRequested(request) {
            return .table(TableFormat.table(for: resource, objects: [object], resourceVersion: nil, continueToken: nil))
        }
        return .json(object)
    }

    func list(_ request: APIRequest, _ resource: ResourceType, namespace: String?) throws(KubeStatus) -> APIResponse {
        let filter = try objectFilter(request, resource, namespace: namespace)
        var limit: Int?
        if let text = request.queryValue("limit"), !text.isEmpty {
            guard let value = Int(text), value >= 0 else { throw KubeStatus.badRequest("limit: Invalid value: \"\(text)\": must be a non-negative integer") }
            limit = value
        }
        let page = try store.list(resource, filter: filter, limit: limit, continueToken: request.queryValue("continue"))
        if TableFormat.isRequested(request) {
            return .table(
                TableFormat.table(for: resource, objects: page.items, resourceVersion: page.resourceVersion, continueToken: page.continueToken))
        }
        var metadata: JSONValue = ["resourceVersion": .string(String(page.resourceVersion))]
        if let token = page.continueToken { metadata["continue"] = .string(token) }
        if let remaining = page.remainingItemCount { metadata["remainingItemCount"] = .int(remaining) }
        let items = page.items.map { Self.listItem($0, resource) }
        return .json([
            "kind": .string(resource.listKind), "apiVersion": .string(resource.apiVersion), "metadata": metadata, "items": .array(items),
        ])
    }

    /// Built-in list items carry no kind/apiVersion on the wire; custom resources keep theirs.
    static func listItem(_ object: JSONValue, _ resource: ResourceType) -> JSONValue {
        guard resource != .sparkApplications else { return object }
        var item = object
        item["kind"] = nil
        item["apiVersion"] = nil
        return item
    }

    /// The namespace, label selector and field selector of a list or watch; 400 for selectors that do
    /// not parse or fields the resource does not support.
    func objectFilter(_ request: APIRequest, _ resource: ResourceType, namespace: String?) throws(KubeStatus) -> ObjectFilter {
        var labels = LabelSelector.everything
        if let text = request.queryValue("labelSelector") {
            do { labels = try LabelSelector(parsing: text) } catch { throw KubeStatus.badRequest(error.message) }
        }
        var fields = FieldSelector(terms: [])
        if let text = request.queryValue("fieldSelector") {
            do { fields = try FieldSelector(parsing: text) } catch { throw KubeStatus.badRequest(error.message) }
            let supported = resource.selectableFields.union(["metadata.name", "metadata.namespace"])
            for term in fields.terms where !supported.contains(term.field) {
                throw KubeStatus.badRequest("field label not supported: \(term.field)")
            }
        }
        return ObjectFilter(namespace: namespace, labels: labels, fields: fields)
    }

    // MARK: - Writes

    private func decodeBody(_ request: APIRequest, _ resource: ResourceType) throws(KubeStatus) -> JSONValue {
        guard let object = try? JSONValue(parsing: request.body), case .object = object else {
            throw KubeStatus.badRequest("the object provided is unrecognized (must be of type \(resource.kind)): couldn't get version/kind; json parse error")
        }
        if let kind = object["kind"], kind != .string(resource.kind) {
            throw KubeStatus.badRequest("the object provided is unrecognized (must be of type \(resource.kind)): kind \(kind.jsonString()) does not match")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, apiVersion != resource.apiVersion {
            throw KubeStatus.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.apiVersion))")
        }
        return object
    }

    /// Fills kind/apiVersion, checks the namespace, and validates names and (for SparkApplications) the schema.
    private func prepare(_ body: JSONValue, _ resource: ResourceType, namespace: String) throws(KubeStatus) -> JSONValue {
        var object = body
        object["kind"] = .string(resource.kind)
        object["apiVersion"] = .string(resource.apiVersion)
        if let declared = object[path: ["metadata", "namespace"]]?.stringValue, !declared.isEmpty, declared != namespace {
            throw KubeStatus.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        let name = object.name
        var causes: [KubeStatus.Cause] = []
        if resource == .sparkApplications {
            causes = SparkApplicationValidator.causes(for: object)
        }
        if !name.isEmpty, !LabelSyntax.isDNSSubdomain(name) {
            causes.insert(
                .init(
                    reason: "FieldValueInvalid",
                    message:
                        "Invalid value: \"\(name)\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
                    field: "metadata.name"), at: 0)
        }
        if let labels = object[path: ["metadata", "labels"]]?.objectValue {
            for key in labels.keys.sorted() {
                if let problem = LabelSyntax.keyProblem(key) {
                    causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \"\(key)\": \(problem)", field: "metadata.labels"))
                } else if let value = labels[key]?.stringValue, let problem = LabelSyntax.valueProblem(value) {
                    causes.append(.init(reason: "FieldValueInvalid", message: "Invalid value: \"\(value)\": \(problem)", field: "metadata.labels"))
                }
            }
        }
        if !causes.isEmpty { throw KubeStatus.invalid(resource, name, causes) }
        return object
    }

    func create(_ request: APIRequest, _ resource: ResourceType, namespace: String) throws(KubeStatus) -> APIResponse {
        var object = try prepare(try decodeBody(request, resource), resource, namespace: namespace)
        if resource == .sparkApplications {
            // The status subresource is enabled in the CRD: status sent on create is dropped.
            object["status"] = nil
        }
        object[path: ["metadata", "resourceVersion"]] = nil
        if request.queryValue("dryRun") == "All" {
            return .json(object, status: 201)
        }
        return .json(try store.create(resource, namespace: namespace, object: object), status: 201)
    }

    func update(_ request: APIRequest, _ resource: ResourceType, namespace: String, name: String) throws(KubeStatus) -> APIResponse {
        let object = try prepare(try decodeBody(request, resource), resource, namespace: namespace)
        if !object.name.isEmpty, object.name != name {
            throw KubeStatus.badRequest("the name of the object (\(object.name)) does not match the name on the URL (\(name))")
        }
        return .json(try store.replace(resource, namespace: namespace, name: name, object: object))
    }

    func delete(_ request: APIRequest, _ resource: ResourceType, namespace: String, name: String) throws(KubeStatus) -> APIResponse {
        var options = JSONValue.object([:])
        if !request.body.isEmpty {
            guard let parsed = try? JSONValue(parsing: request.body), case .object = parsed else {
                throw KubeStatus.badRequest("the body of the request was in an unknown format - accepted media types include: application/json")
            }
            options = parsed
        }
        let policy = options["propagationPolicy"]?.stringValue ?? request.queryValue("propagationPolicy")
        if let policy, !["Foreground", "Background", "Orphan"].contains(policy) {
            throw KubeStatus.invalid(
                resource, name,
                [.init(
                    reason: "FieldValueNotSupported",
                    message: "Unsupported value: \"\(policy)\": supported values: \"Foreground\", \"Background\", \"Orphan\"",
                    field: "propagationPolicy")])
        }
        let deleted = try store.delete(
            resource, namespace: namespace, name: name,
            preconditionUID: options[path: ["preconditions", "uid"]]?.stringValue,
            preconditionResourceVersion: options[path: ["preconditions", "resourceVersion"]]?.stringValue)
        if resource == .pods {
            logs.remove(namespace: namespace, pod: name)
            // Pods are one of the resources whose DELETE returns the deleted object.
            return .json(deleted)
        }
        var details: JSONValue = ["name": .string(name), "kind": .string(resource.plural)]
        if !resource.group.isEmpty { details["group"] = .string(resource.group) }
        details["uid"] = deleted[path: ["metadata", "uid"]]
        return .json([
            "kind": "Status", "apiVersion": "v1", "metadata": [:], "status": "Success", "details": details,
        ])
    }
}
