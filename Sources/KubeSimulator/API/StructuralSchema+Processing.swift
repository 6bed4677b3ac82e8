import JSON

/// What kube-apiserver does to a custom resource with its CRD's structural schema, in its order:
/// prune unknown fields (reporting them for the field-validation mode), drop `null`s the schema does
/// not allow, apply defaults, then validate the whole tree.
extension StructuralSchema {
    /// The fields of `ObjectMeta`: everything else under `metadata` is unknown and pruned.
    static let objectMetaFields: Set<String> = [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    ]

    // MARK: - Pruning

    /// Removes the fields the schema does not know, appending their paths (`spec.foo`,
    /// `spec.volumes[0].bar`) to `unknown`. At the root, `apiVersion`, `kind` and `metadata` are always
    /// kept (ObjectMeta is pruned by its own fields).
    func prune(root value: inout JSONValue, unknown: inout [String]) {
        guard case .object(let object) = value else { return }
        var kept = JSONObject()
        for (key, child) in object {
            switch key {
            case "apiVersion", "kind":
                kept[key] = child
            case "metadata":
                guard case .object(let meta) = child else {
                    kept[key] = child
                    continue
                }
                var keptMeta = JSONObject()
                for (field, metaValue) in meta {
                    if Self.objectMetaFields.contains(field) {
                        keptMeta[field] = metaValue
                    } else {
                        unknown.append("metadata.\(field)")
                    }
                }
                kept[key] = .object(keptMeta)
            default:
                if let property = properties[key] {
                    var pruned = child
                    property.prune(&pruned, path: key, unknown: &unknown)
                    kept[key] = pruned
                } else if preservesUnknownFields {
                    kept[key] = child
                } else {
                    unknown.append(key)
                }
            }
        }
        value = .object(kept)
    }

    private func prune(_ value: inout JSONValue, path: String, unknown: inout [String]) {
        switch value {
        case .object(let object):
            var kept = JSONObject()
            for (key, child) in object {
                let childPath = "\(path).\(key)"
                if let property = properties[key] {
                    var pruned = child
                    property.prune(&pruned, path: childPath, unknown: &unknown)
                    kept[key] = pruned
                } else if let additionalProperties {
                    var pruned = child
                    additionalProperties.prune(&pruned, path: childPath, unknown: &unknown)
                    kept[key] = pruned
                } else if preservesUnknownFields {
                    kept[key] = child
                } else if properties.isEmpty && type == nil {
                    // An untyped schema without properties (int-or-string, or a schema that says
                    // nothing) keeps what it holds.
                    kept[key] = child
                } else {
                    unknown.append(childPath)
                }
            }
            value = .object(kept)
        case .array(var elements):
            guard let items else { return }
            for index in elements.indices {
                items.prune(&elements[index], path: "\(path)[\(index)]", unknown: &unknown)
            }
            value = .array(elements)
        default:
            return
        }
    }

    // MARK: - Nulls and defaults

    /// Drops `null` members the schema does not declare `nullable` (a `null` with a default becomes the
    /// default), then fills missing members that have a default, depth first as the API server does.
    func applyDefaults(_ value: inout JSONValue) {
        switch value {
        case .object(var object):
            for (key, property) in properties {
                if let current = object[key] {
                    if current == .null, !property.nullable {
                        object[key] = property.defaultValue
                    }
                } else if let defaultValue = property.defaultValue {
                    object[key] = defaultValue
                }
            }
            if let additionalProperties, !additionalProperties.nullable {
                for key in object.keys where object[key] == .null && properties[key] == nil {
                    object[key] = additionalProperties.defaultValue
                }
            }
            for key in object.keys {
                guard var child = object[key], let schema = properties[key] ?? additionalProperties else { continue }
                schema.applyDefaults(&child)
                object[key] = child
            }
            value = .object(object)
        case .array(var elements):
            guard let items else { return }
            for index in elements.indices { items.applyDefaults(&elements[index]) }
            value = .array(elements)
        default:
            return
        }
    }

    // MARK: - Validation

    /// The validation failures of the whole tree, as `details.causes` of a 422 Invalid Status. The root
    /// `metadata` is validated by the API server's ObjectMeta rules, not here.
    func validate(root value: JSONValue) -> [KubeStatus.Cause] {
        var causes: [KubeStatus.Cause] = []
        guard case .object(let object) = value else {
            validate(value, path: "", into: &causes)
            return causes
        }
        for name in required where object[name] == nil {
            causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: name))
        }
        for key in object.keys.sorted() where key != "metadata" && key != "apiVersion" && key != "kind" {
            guard let child = object[key], let property = properties[key] else { continue }
            property.validate(child, path: key, into: &causes)
        }
        return causes
    }

    private func validate(_ value: JSONValue, path: String, into causes: inout [KubeStatus.Cause]) {
        if value == .null {
            if !nullable {
                causes.append(typeCause(value, path: path, expected: type ?? "object"))
            }
            return
        }
        if intOrString {
            switch value {
            case .string: break
            case .number where value.int64Value != nil: break
            default:
                causes.append(typeCause(value, path: path, expected: "integer,string"))
                return
            }
        } else if let type, !Self.matches(value, type: type) {
            causes.append(typeCause(value, path: path, expected: type))
            return
        }
        if let enumValues, !enumValues.contains(value) {
            let supported = enumValues.map(Self.goText).joined(separator: ", ")
            causes.append(
                .init(
                    reason: "FieldValueNotSupported", message: "Unsupported value: \(Self.goText(value)): supported values: \(supported)",
                    field: path))
        }
        switch value {
        case .number(let number):
            checkBounds(number, value: value, path: path, into: &causes)
        case .string(let text):
            let length = text.count
            if let maxLength, length > maxLength {
                causes.append(
                    .init(
                        reason: "FieldValueTooLong", message: "Too long: may not be more than \(maxLength) bytes",
                        field: path))
            }
            if let minLength, length < minLength {
                causes.append(invalid(value, path, "\(path) in body should be at least \(minLength) chars long"))
            }
            if let pattern, !Self.matches(text, pattern: pattern) {
                causes.append(invalid(value, path, "\(path) in body should match '\(pattern)'"))
            }
        case .object(let object):
            for name in required where object[name] == nil {
                causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: "\(path).\(name)"))
            }
            for key in object.keys.sorted() {
                guard let child = object[key], let schema = properties[key] ?? additionalProperties else { continue }
                schema.validate(child, path: "\(path).\(key)", into: &causes)
            }
        case .array(let elements):
            if let maxItems, elements.count > maxItems {
                causes.append(
                    .init(
                        reason: "FieldValueTooMany", message: "Too many: \(elements.count): must have at most \(maxItems) items",
                        field: path))
            }
            if let minItems, elements.count < minItems {
                causes.append(invalid(value, path, "\(path) in body should have at least \(minItems) items"))
            }
            if let items {
                for (index, element) in elements.enumerated() {
                    items.validate(element, path: "\(path)[\(index)]", into: &causes)
                }
            }
            checkListType(elements, path: path, into: &causes)
        default:
            break
        }
        // Alternatives beside the type (`anyOf: [{type: integer}, {type: string}]` on quantities): the
        // type check above already admitted only the listed kinds, so only their value rules remain.
        for option in allOf { option.validate(value, path: path, into: &causes) }
        if !anyOf.isEmpty, !intOrString {
            let passes = anyOf.contains { option in
                var optionCauses: [KubeStatus.Cause] = []
                option.validate(value, path: path, into: &optionCauses)
                return optionCauses.isEmpty
            }
            if !passes { causes.append(invalid(value, path, "must validate at least one schema (anyOf)")) }
        }
    }

    private func checkBounds(_ number: JSONNumber, value: JSONValue, path: String, into causes: inout [KubeStatus.Cause]) {
        let double = number.doubleValue
        if let minimum {
            if exclusiveMinimum ? double <= minimum : double < minimum {
                let relation = exclusiveMinimum ? "greater than" : "greater than or equal to"
                causes.append(invalid(value, path, "\(path) in body should be \(relation) \(Self.boundText(minimum))"))
            }
        }
        if let maximum {
            if exclusiveMaximum ? double >= maximum : double > maximum {
                let relation = exclusiveMaximum ? "less than" : "less than or equal to"
                causes.append(invalid(value, path, "\(path) in body should be \(relation) \(Self.boundText(maximum))"))
            }
        }
    }

    /// `x-kubernetes-list-type: set` items and `map` keys must be unique.
    private func checkListType(_ elements: [JSONValue], path: String, into causes: inout [KubeStatus.Cause]) {
        switch listType {
        case "set":
            var seen: [JSONValue] = []
            for (index, element) in elements.enumerated() {
                if seen.contains(element) {
                    causes.append(.init(reason: "FieldValueDuplicate", message: "Duplicate value: \(Self.goText(element))", field: "\(path)[\(index)]"))
                } else {
                    seen.append(element)
                }
            }
        case "map":
            var seen: [[JSONValue?]] = []
            for (index, element) in elements.enumerated() {
                guard case .object(let object) = element else { continue }
                let key = listMapKeys.map { object[$0] }
                if seen.contains(key) {
                    let shown = listMapKeys.compactMap { name in object[name].map { "\"\(name)\":\(Self.goText($0))" } }
                    causes.append(
                        .init(
                            reason: "FieldValueDuplicate",
                            message: "Duplicate value: map[string]interface {}{\(shown.joined(separator: ", "))}",
                            field: "\(path)[\(index)]"))
                } else {
                    seen.append(key)
                }
            }
        default:
            break
        }
    }

    private func typeCause(_ value: JSONValue, path: String, expected: String) -> KubeStatus.Cause {
        KubeStatus.Cause(
            reason: "FieldValueTypeInvalid",
            message: "Invalid value: \"\(value.kindName)\": \(path) in body must be of type \(expected): \"\(value.kindName)\"",
            field: path)
    }

    private func invalid(_ value: JSONValue, _ path: String, _ detail: String) -> KubeStatus.Cause {
        KubeStatus.Cause(reason: "FieldValueInvalid", message: "Invalid value: \(Self.goText(value)): \(detail)", field: path)
    }

    static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("number", .number): true
        // JSON has one number type: 2.0 is an integer to the API server, 2.5 is not.
        case ("integer", .number(let number)): number.int64Value != nil
        default: false
        }
    }

    /// A value as the API server's Go error messages print it: strings quoted, numbers bare,
    /// objects and arrays as `%#v` would show them in short.
    static func goText(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        case .number(let number): number.text
        case .bool(let flag): flag ? "true" : "false"
        case .null: "null"
        default: value.jsonString()
        }
    }

    private static func boundText(_ bound: Double) -> String {
        bound.rounded() == bound && abs(bound) < 1e15 ? String(Int64(bound)) : String(bound)
    }

    /// Whether `text` contains a match of the schema's ECMA-262 `pattern` (unanchored unless the
    /// pattern anchors itself, as in JSON Schema). An unparseable pattern matches everything: the
    /// API server rejects such CRDs, so it cannot happen with a real one.
    static func matches(_ text: String, pattern: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return true }
        return text.contains(regex)
    }
}
