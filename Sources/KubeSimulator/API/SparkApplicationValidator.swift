import JSON

/// Checks a SparkApplication against what its CRD's OpenAPI schema requires (required fields, types,
/// enums, minimums of the top level, `spec`, `spec.driver` and `spec.executor`), producing the causes
/// the real API server puts in a 422 Invalid Status. Deeper pod-template fields are not checked.
enum SparkApplicationValidator {
    enum FieldType {
        case string, integer, boolean, object, array
        case stringEnum([String])
        case stringMap  // object whose values are strings (sparkConf, hadoopConf, labels, ...)
        case stringArray

        var name: String {
            switch self {
            case .string, .stringEnum: return "string"
            case .integer: return "integer"
            case .boolean: return "boolean"
            case .object, .stringMap: return "object"
            case .array, .stringArray: return "array"
            }
        }
    }

    struct Field {
        var type: FieldType
        var minimum: Int? = nil
    }

    static let topLevel: [String: Field] = [
        "apiVersion": Field(type: .string), "kind": Field(type: .string), "metadata": Field(type: .object),
        "spec": Field(type: .object), "status": Field(type: .object),
    ]
    static let topLevelRequired = ["metadata", "spec"]

    static let spec: [String: Field] = [
        "arguments": Field(type: .stringArray), "batchScheduler": Field(type: .string),
        "batchSchedulerOptions": Field(type: .object), "deps": Field(type: .object), "driver": Field(type: .object),
        "driverIngressOptions": Field(type: .array), "driverPodDisruptionBudget": Field(type: .boolean),
        "dynamicAllocation": Field(type: .object), "executor": Field(type: .object), "failureRetries": Field(type: .integer),
        "hadoopConf": Field(type: .stringMap), "hadoopConfigMap": Field(type: .string), "image": Field(type: .string),
        "imagePullPolicy": Field(type: .string), "imagePullSecrets": Field(type: .stringArray),
        "mainApplicationFile": Field(type: .string), "mainClass": Field(type: .string),
        "memoryOverheadFactor": Field(type: .string), "mode": Field(type: .stringEnum(["cluster", "client"])),
        "monitoring": Field(type: .object), "nodeSelector": Field(type: .stringMap), "proxyUser": Field(type: .string),
        "pythonVersion": Field(type: .stringEnum(["2", "3"])), "restartPolicy": Field(type: .object),
        "retryInterval": Field(type: .integer), "sparkConf": Field(type: .stringMap), "sparkConfigMap": Field(type: .string),
        "sparkUIOptions": Field(type: .object), "sparkVersion": Field(type: .string), "suspend": Field(type: .boolean),
        "timeToLiveSeconds": Field(type: .integer), "type": Field(type: .stringEnum(["Java", "Python", "Scala", "R"])),
        "volumes": Field(type: .array),
    ]
    static let specRequired = ["driver", "executor", "mainApplicationFile", "sparkVersion", "type"]

    static let podCommon: [String: Field] = [
        "coreLimit": Field(type: .string), "coreRequest": Field(type: .string), "cores": Field(type: .integer, minimum: 1),
        "hostNetwork": Field(type: .boolean), "image": Field(type: .string), "javaOptions": Field(type: .string),
        "memory": Field(type: .string), "memoryLimit": Field(type: .string), "memoryOverhead": Field(type: .string),
        "priorityClassName": Field(type: .string), "schedulerName": Field(type: .string),
        "serviceAccount": Field(type: .string), "shareProcessNamespace": Field(type: .boolean),
        "terminationGracePeriodSeconds": Field(type: .integer), "labels": Field(type: .stringMap),
        "annotations": Field(type: .stringMap), "nodeSelector": Field(type: .stringMap), "env": Field(type: .array),
        "template": Field(type: .object),
    ]
    static let driver = podCommon.merging(
        ["podName": Field(type: .string), "kubernetesMaster": Field(type: .string)], uniquingKeysWith: { first, _ in first })
    static let executor = podCommon.merging(
        ["instances": Field(type: .integer, minimum: 1), "deleteOnTermination": Field(type: .boolean)],
        uniquingKeysWith: { first, _ in first })

    /// The validation causes for `object`; empty when it is valid.
    static func causes(for object: JSONValue) -> [KubeStatus.Cause] {
        var causes: [KubeStatus.Cause] = []
        check(object, path: "", fields: topLevel, required: topLevelRequired, into: &causes)
        if case .object = object["spec"] {
            let spec = object["spec"] ?? .null
            check(spec, path: "spec", fields: Self.spec, required: specRequired, into: &causes)
            if case .object = spec["driver"] { check(spec["driver"] ?? .null, path: "spec.driver", fields: driver, required: [], into: &causes) }
            if case .object = spec["executor"] {
                check(spec["executor"] ?? .null, path: "spec.executor", fields: executor, required: [], into: &causes)
            }
        }
        return causes
    }

    private static func check(
        _ object: JSONValue, path: String, fields: [String: Field], required: [String], into causes: inout [KubeStatus.Cause]
    ) {
        func join(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }
        for name in required where object[name] == nil || object[name] == .null {
            causes.append(.init(reason: "FieldValueRequired", message: "Required value", field: join(name)))
        }
        guard let members = object.objectValue else { return }
        for name in members.keys.sorted() {
            guard let field = fields[name], let value = members[name], value != .null else { continue }
            let fieldPath = join(name)
            if let problem = typeProblem(value, field.type, fieldPath) {
                causes.append(problem)
                continue
            }
            if case .stringEnum(let allowed) = field.type, let text = value.stringValue, !allowed.contains(text) {
                let supported = allowed.map { "\"\($0)\"" }.joined(separator: ", ")
                causes.append(
                    .init(
                        reason: "FieldValueNotSupported", message: "Unsupported value: \"\(text)\": supported values: \(supported)",
                        field: fieldPath))
            }
            if let minimum = field.minimum, let number = value.intValue, number < minimum {
                causes.append(
                    .init(
                        reason: "FieldValueInvalid",
                        message: "Invalid value: \(number): \(fieldPath) in body should be greater than or equal to \(minimum)",
                        field: fieldPath))
            }
        }
    }

    private static func typeProblem(_ value: JSONValue, _ type: FieldType, _ path: String) -> KubeStatus.Cause? {
        func invalid(_ expected: String, at field: String, _ actual: JSONValue) -> KubeStatus.Cause {
            KubeStatus.Cause(
                reason: "FieldValueTypeInvalid",
                message: "Invalid value: \"\(actual.kindName)\": \(field) in body must be of type \(expected): \"\(actual.kindName)\"",
                field: field)
        }
        switch type {
        case .string, .stringEnum:
            if value.stringValue == nil { return invalid("string", at: path, value) }
        case .integer:
            if value.intValue == nil { return invalid("integer", at: path, value) }
        case .boolean:
            if case .bool = value {} else { return invalid("boolean", at: path, value) }
        case .object:
            if value.objectValue == nil { return invalid("object", at: path, value) }
        case .array:
            if value.arrayValue == nil { return invalid("array", at: path, value) }
        case .stringMap:
            guard let members = value.objectValue else { return invalid("object", at: path, value) }
            for key in members.keys.sorted() where members[key]?.stringValue == nil {
                return invalid("string", at: "\(path).\(key)", members[key] ?? .null)
            }
        case .stringArray:
            guard let elements = value.arrayValue else { return invalid("array", at: path, value) }
            for (index, element) in elements.enumerated() where element.stringValue == nil {
                return invalid("string", at: "\(path)[\(index)]", element)
            }
        }
        return nil
    }
}
