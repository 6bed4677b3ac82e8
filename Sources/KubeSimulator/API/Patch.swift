import JSON

/// The patch formats of `PATCH` requests, as kube-apiserver applies them to the stored object's JSON.
enum Patch {
    /// What went wrong applying a patch; the API server answers these with 422 (a patch that cannot
    /// apply) or 400 (one that does not parse).
    struct Failure: Error {
        var message: String
        var isParseError = false
    }

    /// RFC 7386 JSON merge patch (`application/merge-patch+json`): objects merge member by member,
    /// `null` removes a member, anything else (arrays included) replaces.
    static func merge(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(let patchObject) = patch else { return patch }
        var result: JSONObject
        if case .object(let existing) = target { result = existing } else { result = JSONObject() }
        for (key, value) in patchObject {
            if value == .null {
                result.removeValue(forKey: key)
            } else {
                result[key] = merge(result[key] ?? .null, value)
            }
        }
        return .object(result)
    }

    /// Strategic merge patch (`application/strategic-merge-patch+json`) for built-in objects, in its
    /// common cases: a merge patch whose lists of named objects (`containers`, `env`, `volumes`, …)
    /// merge by `name` instead of being replaced, and whose `$patch`/`$retainKeys`/`$setElementOrder`
    /// directives are honoured for `delete` and otherwise dropped.
    static func strategicMerge(_ target: JSONValue, _ patch: JSONValue) -> JSONValue {
        switch (target, patch) {
        case (_, .object(let patchObject)):
            if patchObject["$patch"] == "delete" { return .null }
            if patchObject["$patch"] == "replace" {
                var replaced = patchObject
                replaced.removeValue(forKey: "$patch")
                return .object(replaced)
            }
            var result: JSONObject
            if case .object(let existing) = target { result = existing } else { result = JSONObject() }
            for (key, value) in patchObject where !key.hasPrefix("$") {
                if value == .null {
                    result.removeValue(forKey: key)
                } else {
                    let merged = strategicMerge(result[key] ?? .null, value)
                    if merged == .null { result.removeValue(forKey: key) } else { result[key] = merged }
                }
            }
            return .object(result)
        case (.array(let existing), .array(let patchItems))
        where !patchItems.isEmpty && patchItems.allSatisfy({ $0["name"]?.stringValue != nil }):
            var result = existing
            for item in patchItems {
                let name = item["name"]
                if let index = result.firstIndex(where: { $0["name"] == name }) {
                    let merged = strategicMerge(result[index], item)
                    if merged == .null { result.remove(at: index) } else { result[index] = merged }
                } else if item["$patch"] != "delete" {
                    result.append(strategicMerge(.null, item))
                }
            }
            return .array(result)
        default:
            return patch
        }
    }

    /// RFC 6902 JSON patch (`application/json-patch+json`): `add`, `remove`, `replace`, `move`,
    /// `copy`, `test`, applied in order; any failing operation fails the whole patch.
    static func jsonPatch(_ target: JSONValue, _ operations: JSONValue) throws(Failure) -> JSONValue {
        guard let list = operations.arrayValue else {
            throw Failure(message: "json: cannot unmarshal object into Go value of type jsonpatch.Patch", isParseError: true)
        }
        var document = target
        for operation in list {
            guard let op = operation["op"]?.stringValue else { throw Failure(message: "Unexpected kind: <nil>") }
            guard let pathText = operation["path"]?.stringValue else { throw Failure(message: "missing path for \(op) operation") }
            let path = try pointer(pathText)
            switch op {
            case "add":
                guard let value = operation["value"] else { throw Failure(message: "missing value for add operation") }
                try insert(value, at: path, in: &document, replacing: false)
            case "remove":
                _ = try remove(path, from: &document)
            case "replace":
                guard let value = operation["value"] else { throw Failure(message: "missing value for replace operation") }
                _ = try remove(path, from: &document)
                try insert(value, at: path, in: &document, replacing: true)
            case "move", "copy":
                guard let fromText = operation["from"]?.stringValue else { throw Failure(message: "missing from for \(op) operation") }
                let from = try pointer(fromText)
                let value: JSONValue
                if op == "move" { value = try remove(from, from: &document) } else { value = try get(from, in: document) }
                try insert(value, at: path, in: &document, replacing: false)
            case "test":
                guard let expected = operation["value"] else { throw Failure(message: "missing value for test operation") }
                guard try get(path, in: document) == expected else {
                    throw Failure(message: "testing value \(pathText) failed: test failed")
                }
            default:
                throw Failure(message: "Unexpected kind: \(op)")
            }
        }
        return document
    }

    private static func pointer(_ text: String) throws(Failure) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw Failure(message: "JSON pointer must be empty or start with a \"/\": \(text)") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ path: [String], in document: JSONValue) throws(Failure) -> JSONValue {
        var current = document
        for token in path {
            switch current {
            case .object(let object):
                guard let next = object[token] else { throw missing(path) }
                current = next
            case .array(let elements):
                guard let index = Int(token), elements.indices.contains(index) else { throw missing(path) }
                current = elements[index]
            default:
                throw missing(path)
            }
        }
        return current
    }

    private static func missing(_ path: [String]) -> Failure {
        Failure(message: "missing value at /\(path.joined(separator: "/"))")
    }

    private static func insert(_ value: JSONValue, at path: [String], in document: inout JSONValue, replacing: Bool) throws(Failure) {
        guard let last = path.last else {
            document = value
            return
        }
        let parentPath = Array(path.dropLast())
        var parent = try get(parentPath, in: document)
        switch parent {
        case .object(var object):
            object[last] = value
            parent = .object(object)
        case .array(var elements):
            if last == "-" {
                elements.append(value)
            } else {
                guard let index = Int(last), index >= 0, index <= elements.count else {
                    throw Failure(message: "add operation does not apply: index \(last) out of bounds")
                }
                elements.insert(value, at: index)
            }
            parent = .array(elements)
        default:
            throw Failure(message: "add operation does not apply: doc is missing path: /\(path.joined(separator: "/"))")
        }
        try set(parent, at: parentPath, in: &document)
    }

    @discardableResult
    private static func remove(_ path: [String], from document: inout JSONValue) throws(Failure) -> JSONValue {
        guard let last = path.last else { throw Failure(message: "remove operation does not apply: empty path") }
        let parentPath = Array(path.dropLast())
        var parent = try get(parentPath, in: document)
        let removed: JSONValue
        switch parent {
        case .object(var object):
            guard let value = object.removeValue(forKey: last) else {
                throw Failure(message: "remove operation does not apply: doc is missing key: /\(path.joined(separator: "/"))")
            }
            removed = value
            parent = .object(object)
        case .array(var elements):
            guard let index = Int(last), elements.indices.contains(index) else {
                throw Failure(message: "remove operation does not apply: doc is missing path: /\(path.joined(separator: "/"))")
            }
            removed = elements.remove(at: index)
            parent = .array(elements)
        default:
            throw Failure(message: "remove operation does not apply: doc is missing path: /\(path.joined(separator: "/"))")
        }
        try set(parent, at: parentPath, in: &document)
        return removed
    }

    private static func set(_ value: JSONValue, at path: [String], in document: inout JSONValue) throws(Failure) {
        guard let first = path.first else {
            document = value
            return
        }
        let rest = Array(path.dropFirst())
        switch document {
        case .object(var object):
            var child = object[first] ?? .null
            try set(value, at: rest, in: &child)
            object[first] = child
            document = .object(object)
        case .array(var elements):
            guard let index = Int(first), elements.indices.contains(index) else { throw missing(path) }
            try set(value, at: rest, in: &elements[index])
            document = .array(elements)
        default:
            throw missing(path)
        }
    }
}
