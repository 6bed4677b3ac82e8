import Foundation
import JSON
import YAML

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

    /// An object ready to store, and the `Warning` headers its request earned (pruned unknown fields).
    struct Admitted {
        var object: JSONValue
        var warnings: [String] = []
    }

    /// How unknown fields are treated (`?fieldValidation=`): Warn (the default) prunes them with a
    /// `Warning` header each, Strict rejects the request, Ignore prunes them silently.
    enum FieldValidation: String {
        case ignore = "Ignore", warn = "Warn", strict = "Strict"
    }

    func fieldValidation(_ request: APIRequest) throws(KubeStatus) -> FieldValidation {
        guard let text = request.queryValue("fieldValidation"), !text.isEmpty else { return .warn }
        guard let mode = FieldValidation(rawValue: text) else {
            throw KubeStatus.badRequest("fieldValidation: Unsupported value: \"\(text)\": supported values: \"Ignore\", \"Strict\", \"Warn\"")
        }
        return mode
    }

    /// `?dryRun=All`: true; absent: false; anything else is rejected as the API server validates its
    /// `CreateOptions`/`UpdateOptions`/`PatchOptions`/`DeleteOptions` (422, group meta.k8s.io).
    func dryRun(_ request: APIRequest, options: String) throws(KubeStatus) -> Bool {
        let values = request.query.filter { $0.name == "dryRun" }.map(\.value)
        if values.isEmpty { return false }
        if values.allSatisfy({ $0 == "All" }) { return true }
        let shown = "[]string{" + values.map { "\"\($0)\"" }.joined(separator: ", ") + "}"
        let message = "Unsupported value: \(shown): supported values: \"All\""
        throw KubeStatus(
            code: 422, reason: "Invalid", message: "\(options).meta.k8s.io \"\" is invalid: dryRun: \(message)", name: "",
            group: "meta.k8s.io", kind: options, causes: [.init(reason: "FieldValueNotSupported", message: message, field: "dryRun")])
    }

    /// The request body as JSON: `application/yaml` bodies (which kubectl and client libraries may
    /// send) are read as YAML, anything else as JSON. nil when it does not parse.
    func bodyValue(_ request: APIRequest) -> JSONValue? {
        let type = request.header("Content-Type")?.lowercased() ?? ""
        if type.hasPrefix("application/yaml") || type.hasPrefix("application/x-yaml") {
            guard let node = try? YAML.parseDocument(request.body), let data = try? node.jsonData() else { return nil }
            return try? JSONValue(parsing: data)
        }
        return try? JSONValue(parsing: request.body)
    }

    func decodeBody(_ request: APIRequest, _ resource: ResourceType) throws(KubeStatus) -> JSONValue {
        guard let object = bodyValue(request), case .object = object else {
            throw KubeStatus.badRequest("the object provided is unrecognized (must be of type \(resource.kind)): couldn't get version/kind; json parse error")
        }
        try checkKind(object, resource)
        return object
    }

    private func checkKind(_ object: JSONValue, _ resource: ResourceType) throws(KubeStatus) {
        if let kind = object["kind"], kind != .string(resource.kind) {
            throw KubeStatus.badRequest("the object provided is unrecognized (must be of type \(resource.kind)): kind \(kind.jsonString()) does not match")
        }
        if let apiVersion = object["apiVersion"]?.stringValue, apiVersion != resource.apiVersion {
            throw KubeStatus.badRequest(
                "the API version in the data (\(apiVersion)) does not match the expected API version (\(resource.apiVersion))")
        }
    }

    /// What the API server does to a written object before storing it: fills kind/apiVersion, checks
    /// the namespace; for SparkApplications with a CRD loaded, prunes unknown fields (per the field
    /// validation mode), drops disallowed nulls and applies defaults; `prepare` then runs (dropping or
    /// restoring `status` as the status subresource requires) and the whole object is validated
    /// (the CRD's schema, or the built-in checks without one), with names and labels.
    func admit(
        _ body: JSONValue, _ resource: ResourceType, namespace: String, request: APIRequest, unchanged: String? = nil,
        prepare: (inout JSONValue) -> Void = { _ in }
    ) throws(KubeStatus) -> Admitted {
        var object = body
        object["kind"] = .string(resource.kind)
        object["apiVersion"] = .string(resource.apiVersion)
        if let declared = object[path: ["metadata", "namespace"]]?.stringValue, !declared.isEmpty, declared != namespace {
            throw KubeStatus.badRequest("the namespace of the provided object does not match the namespace sent on the request")
        }
        var warnings: [String] = []
        let crd = resource == .sparkApplications ? settings.crd : nil
        if let crd {
            var unknown: [String] = []
            crd.schema.prune(root: &object, unknown: &unknown)
            switch try fieldValidation(request) {
            case .strict where !unknown.isEmpty:
                throw KubeStatus.badRequest("strict decoding error: " + unknown.map { "unknown field \"\($0)\"" }.joined(separator: ", "))
            case .warn:
                warnings = unknown.map { "unknown field \"\($0)\"" }
            default:
                break
            }
            crd.schema.applyDefaults(&object)
        }
        prepare(&object)
        let name = object.name
        var causes: [KubeStatus.Cause] = []
        if let crd {
            // The part the request cannot change (status on an update, spec on /status) was stored
            // already: like the API server's ratcheting, it is not held against this request.
            causes = crd.schema.validate(root: object).filter { cause in
                guard let unchanged else { return true }
                return cause.field != unchanged && !cause.field.hasPrefix(unchanged + ".") && !cause.field.hasPrefix(unchanged + "[")
            }
        } else if resource == .sparkApplications {
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
        return Admitted(object: object, warnings: warnings)
    }

    /// Whether writes to `resource` see `status` only through the `/status` subresource.
    func hasStatusSubresource(_ resource: ResourceType) -> Bool {
        resource == .sparkApplications && (settings.crd?.hasStatusSubresource ?? true) || resource == .pods
    }

    func create(_ request: APIRequest, _ resource: ResourceType, namespace: String) throws(KubeStatus) -> APIResponse {
        let isDryRun = try dryRun(request, options: "CreateOptions")
        let body = try decodeBody(request, resource)
        if let version = body[path: ["metadata", "resourceVersion"]], version != .null, version != "" {
            throw KubeStatus.badRequest("resourceVersion should not be set on objects to be created")
        }
        try requireNamespace(namespace)
        let statusSubresource = hasStatusSubresource(resource)
        let admitted = try admit(body, resource, namespace: namespace, request: request) { object in
            // With the status subresource, status sent on create is dropped (the CRD's strategy).
            if statusSubresource { object["status"] = nil }
        }
        var object = admitted.object
        if isDryRun {
            // What would be stored, without taking a name or a resourceVersion.
            object = try store.preview(resource, namespace: namespace, object: object)
            return .json(object, status: 201).warning(admitted.warnings)
        }
        return .json(try store.create(resource, namespace: namespace, object: object), status: 201).warning(admitted.warnings)
    }

    /// PUT of the object, or of its `/status` subresource (`statusOnly`): with the status subresource,
    /// an update of the object keeps the stored status and a status update changes only `status`, as
    /// the API server's strategies do. Custom resources require `metadata.resourceVersion` (they allow
    /// no unconditional update).
    func update(
        _ request: APIRequest, _ resource: ResourceType, namespace: String, name: String, statusOnly: Bool = false
    ) throws(KubeStatus) -> APIResponse {
        let isDryRun = try dryRun(request, options: "UpdateOptions")
        let body = try decodeBody(request, resource)
        if !body.name.isEmpty, body.name != name {
            throw KubeStatus.badRequest("the name of the object (\(body.name)) does not match the name on the URL (\(name))")
        }
        if resource == .sparkApplications, (body[path: ["metadata", "resourceVersion"]]?.stringValue ?? "").isEmpty {
            throw KubeStatus.invalid(
                resource, name,
                [.init(reason: "FieldValueInvalid", message: "Invalid value: 0x0: must be specified for an update", field: "metadata.resourceVersion")])
        }
        let current = try store.get(resource, namespace: namespace, name: name)
        return try write(body, over: current, request, resource, namespace: namespace, name: name, statusOnly: statusOnly, dryRun: isDryRun)
    }

    /// Admits `proposed` as the new state of `current` and stores it (unless a dry run). The stored
    /// object's version check (`metadata.resourceVersion` when present) makes it conditional.
    func write(
        _ proposed: JSONValue, over current: JSONValue, _ request: APIRequest, _ resource: ResourceType, namespace: String, name: String,
        statusOnly: Bool, dryRun: Bool
    ) throws(KubeStatus) -> APIResponse {
        // The API server checks the precondition before validating the update (its storage layer
        // compares versions first): a stale update is a 409 to retry, not a 422 about its
        // spec or schema.
        if let version = proposed[path: ["metadata", "resourceVersion"]]?.stringValue, !version.isEmpty,
            version != current[path: ["metadata", "resourceVersion"]]?.stringValue
        {
            throw KubeStatus.conflict(resource, name)
        }
        var body = proposed
        body[path: ["metadata", "name"]] = .string(name)
        let statusSubresource = hasStatusSubresource(resource)
        let unchanged = statusSubresource ? (statusOnly ? "spec" : "status") : nil
        let admitted = try admit(body, resource, namespace: namespace, request: request, unchanged: unchanged) { object in
            guard statusSubresource else { return }
            if statusOnly {
                var kept = current
                kept["status"] = object["status"]
                kept[path: ["metadata", "resourceVersion"]] = object[path: ["metadata", "resourceVersion"]]
                object = kept
            } else {
                object["status"] = current["status"]
            }
        }
        if resource == .pods, admitted.object["spec"] != current["spec"] {
            throw KubeStatus.invalid(
                resource, name,
                [.init(
                    reason: "FieldValueForbidden",
                    message:
                        "Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
                    field: "spec")])
        }
        if dryRun {
            var preview = admitted.object
            for field in ["uid", "creationTimestamp", "generation", "resourceVersion"] {
                preview[path: ["metadata", field]] = current[path: ["metadata", field]]
            }
            return APIResponse.json(preview).warning(admitted.warnings)
        }
        let stored = try store.replace(resource, namespace: namespace, name: name, object: admitted.object)
        if stored[path: ["metadata", "deletionTimestamp"]] != nil, (stored[path: ["metadata", "finalizers"]]?.arrayValue ?? []).isEmpty {
            // The last finalizer of an object marked for deletion is gone: the deletion completes.
            _ = try? store.delete(resource, namespace: namespace, name: name)
            if resource == .pods { logs.remove(namespace: namespace, pod: name) }
        }
        return APIResponse.json(stored).warning(admitted.warnings)
    }

    func delete(_ request: APIRequest, _ resource: ResourceType, namespace: String, name: String) throws(KubeStatus) -> APIResponse {
        var options = JSONValue.object([:])
        if !request.body.isEmpty {
            guard let parsed = try? JSONValue(parsing: request.body), case .object = parsed else {
                throw KubeStatus.badRequest("the body of the request was in an unknown format - accepted media types include: application/json")
            }
            options = parsed
        }
        var isDryRun = try dryRun(request, options: "DeleteOptions")
        if let values = options["dryRun"]?.arrayValue, !values.isEmpty {
            guard values.allSatisfy({ $0 == "All" }) else {
                let message = "Unsupported value: []string{\(values.map { $0.jsonString() }.joined(separator: ", "))}: supported values: \"All\""
                throw KubeStatus(
                    code: 422, reason: "Invalid", message: "DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: \(message)", name: "",
                    group: "meta.k8s.io", kind: "DeleteOptions", causes: [.init(reason: "FieldValueNotSupported", message: message, field: "dryRun")])
            }
            isDryRun = true
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
        let preconditionUID = options[path: ["preconditions", "uid"]]?.stringValue
        let preconditionVersion = options[path: ["preconditions", "resourceVersion"]]?.stringValue
        let current = try store.get(resource, namespace: namespace, name: name)
        if let finalizers = current[path: ["metadata", "finalizers"]]?.arrayValue, !finalizers.isEmpty {
            // Finalizers hold the object: it is only marked for deletion (kubectl shows it Terminating)
            // and goes once an update removes the last finalizer.
            _ = try store.checkDelete(
                resource, namespace: namespace, name: name, preconditionUID: preconditionUID, preconditionResourceVersion: preconditionVersion)
            var marked = current
            if marked[path: ["metadata", "deletionTimestamp"]] == nil {
                marked[path: ["metadata", "deletionTimestamp"]] = .string(ObjectStore.timestamp())
                marked[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
            }
            if isDryRun || marked == current { return .json(marked) }
            return .json(try store.modify(resource, namespace: namespace, name: name) { object in
                object[path: ["metadata", "deletionTimestamp"]] = marked[path: ["metadata", "deletionTimestamp"]]
                object[path: ["metadata", "deletionGracePeriodSeconds"]] = 0
            })
        }
        if resource == .pods, !isDryRun, settings.podGracePeriodLimit > .zero {
            var grace = options["gracePeriodSeconds"]?.intValue ?? request.queryValue("gracePeriodSeconds").flatMap { Int($0) }
            grace = grace ?? current[path: ["spec", "terminationGracePeriodSeconds"]]?.intValue ?? 30
            if let grace, grace > 0 {
                return .json(try terminate(current, namespace: namespace, name: name, grace: grace, preconditionUID: preconditionUID,
                                           preconditionVersion: preconditionVersion))
            }
        }
        let deleted: JSONValue
        if isDryRun {
            // Everything a delete checks, nothing it changes.
            deleted = try store.checkDelete(
                resource, namespace: namespace, name: name, preconditionUID: preconditionUID, preconditionResourceVersion: preconditionVersion)
        } else {
            deleted = try store.delete(
                resource, namespace: namespace, name: name, preconditionUID: preconditionUID,
                preconditionResourceVersion: preconditionVersion)
        }
        if resource == .pods {
            if !isDryRun { logs.remove(namespace: namespace, pod: name) }
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

extension KubeAPI {
    /// A graceful pod deletion: the pod is marked (Terminating, with `deletionGracePeriodSeconds`) and
    /// removed once its grace period (capped by `podGracePeriodLimit`) has passed, as the kubelet
    /// confirms a deletion once the containers stopped.
    fileprivate func terminate(
        _ current: JSONValue, namespace: String, name: String, grace: Int, preconditionUID: String?, preconditionVersion: String?
    ) throws(KubeStatus) -> JSONValue {
        _ = try store.checkDelete(
            .pods, namespace: namespace, name: name, preconditionUID: preconditionUID, preconditionResourceVersion: preconditionVersion)
        if current[path: ["metadata", "deletionTimestamp"]] != nil { return current }
        let marked = try store.modify(.pods, namespace: namespace, name: name) { pod in
            pod[path: ["metadata", "deletionTimestamp"]] = .string(ObjectStore.timestamp(Date().addingTimeInterval(Double(grace))))
            pod[path: ["metadata", "deletionGracePeriodSeconds"]] = .int(grace)
        }
        let delay = min(Duration.seconds(grace), settings.podGracePeriodLimit)
        let uid = current[path: ["metadata", "uid"]]?.stringValue
        let (store, logs) = (self.store, self.logs)
        Task {
            try? await Task.sleep(for: delay)
            if (try? store.delete(.pods, namespace: namespace, name: name, preconditionUID: uid)) != nil {
                logs.remove(namespace: namespace, pod: name)
            }
        }
        return marked
    }
}

extension APIResponse {
    /// Adds one `Warning: 299 - "…"` header per message, as the API server reports pruned fields.
    func warning(_ messages: [String]) -> APIResponse {
        var response = self
        for message in messages {
            let escaped = message.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            response.headers.append(("Warning", "299 - \"\(escaped)\""))
        }
        return response
    }
}
