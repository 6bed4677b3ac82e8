import Foundation
import JSON

/// The body of Livy's `POST /batches`: a Spark batch in Livy's format.
///
/// Decoding is strict where Livy's is (unknown fields, wrong types, a missing `file` are 400s naming
/// the field) and lenient where Livy clients rely on it: `null` means absent, `conf` values written as
/// numbers or booleans are kept as strings (Airflow passes them as Python values).
///
/// ```swift
/// let batch = try LivyBatchRequest.decode(json: body)
/// let request = batch.submitRequest(settings: configuration.gateway.livy, configuration: configuration)
/// ```
public struct LivyBatchRequest: Hashable, Sendable {
    /// The application: a jar, a Python file or an R file (required).
    public var file: String
    /// Who the job runs as; only honoured under the rules of BPG's `dagUser` (docs/livy.md).
    public var proxyUser: String?
    public var className: String?
    public var args: [String]?
    public var jars: [String]?
    public var pyFiles: [String]?
    public var files: [String]?
    public var archives: [String]?
    public var driverMemory: String?
    public var driverCores: Int?
    public var executorMemory: String?
    public var executorCores: Int?
    public var numExecutors: Int?
    public var queue: String?
    public var name: String?
    public var conf: [String: String]?

    public init(file: String) {
        self.file = file
    }

    /// Livy's batch fields, in the order of its documentation.
    public static let fields = [
        "file", "proxyUser", "className", "args", "jars", "pyFiles", "files", "driverMemory", "driverCores",
        "executorMemory", "executorCores", "numExecutors", "archives", "queue", "name", "conf",
    ]

    /// Decodes a JSON body; every failure is a 400 ``SubmissionError`` whose message names the field.
    public static func decode(json body: Data) throws(SubmissionError) -> LivyBatchRequest {
        let tree: JSONValue
        do {
            tree = try JSONParser.parse(body)
        } catch {
            throw .badRequest("Invalid JSON request body: \(error)")
        }
        return try LivyBatchRequest(tree: tree)
    }

    /// Reads a parsed body.
    public init(tree: JSONValue) throws(SubmissionError) {
        guard let object = tree.objectValue else {
            throw .badRequest("The request body must be a JSON object (got \(tree.kindName))")
        }
        let unknown = object.keys.filter { !Self.fields.contains($0) }
        if !unknown.isEmpty {
            throw .badRequest(
                "Unrecognized field\(unknown.count == 1 ? "" : "s") " + unknown.map { "\"\($0)\"" }.joined(separator: ", ")
                    + " (known fields: " + Self.fields.joined(separator: ", ") + ")")
        }
        var reader = FieldReader(object: object)
        guard let file = try reader.string("file"), !file.isEmpty else {
            throw .badRequest("Missing required field \"file\" (the application jar, Python or R file)")
        }
        self.file = file
        proxyUser = try reader.string("proxyUser")
        className = try reader.string("className")
        args = try reader.strings("args")
        jars = try reader.strings("jars")
        pyFiles = try reader.strings("pyFiles")
        files = try reader.strings("files")
        archives = try reader.strings("archives")
        driverMemory = try reader.string("driverMemory")
        driverCores = try reader.int("driverCores")
        executorMemory = try reader.string("executorMemory")
        executorCores = try reader.int("executorCores")
        numExecutors = try reader.int("numExecutors")
        queue = try reader.string("queue")
        name = try reader.string("name")
        conf = try reader.stringMap("conf")
    }

    /// Typed reads of one object's members, each failure naming the member.
    private struct FieldReader {
        let object: JSONObject

        private func value(_ key: String) -> JSONValue? {
            guard let value = object[key], !value.isNull else { return nil }
            return value
        }

        func string(_ key: String) throws(SubmissionError) -> String? {
            guard let value = value(key) else { return nil }
            guard let text = value.stringValue else {
                throw .badRequest("Field \"\(key)\" must be a string (got \(value.kindName))")
            }
            return text
        }

        func int(_ key: String) throws(SubmissionError) -> Int? {
            guard let value = value(key) else { return nil }
            guard let number = value.numberValue, number.isInteger, let int = number.intValue,
                let bounded = Int32(exactly: int)
            else {
                throw .badRequest("Field \"\(key)\" must be an integer (got \(value.kindName) \(value.jsonString()))")
            }
            return Int(bounded)
        }

        func strings(_ key: String) throws(SubmissionError) -> [String]? {
            guard let value = value(key) else { return nil }
            guard let elements = value.arrayValue else {
                throw .badRequest("Field \"\(key)\" must be a list of strings (got \(value.kindName))")
            }
            var result: [String] = []
            for (index, element) in elements.enumerated() {
                guard let text = element.stringValue else {
                    throw .badRequest("Field \"\(key)[\(index)]\" must be a string (got \(element.kindName))")
                }
                result.append(text)
            }
            return result
        }

        func stringMap(_ key: String) throws(SubmissionError) -> [String: String]? {
            guard let value = value(key) else { return nil }
            guard let members = value.objectValue else {
                throw .badRequest("Field \"\(key)\" must be an object of strings (got \(value.kindName))")
            }
            var result: [String: String] = [:]
            for (name, member) in members {
                switch member {
                case .string(let text): result[name] = text
                case .number, .bool: result[name] = member.jsonString()
                default:
                    throw .badRequest("Field \"\(key).\(name)\" must be a string, number or boolean (got \(member.kindName))")
                }
            }
            return result
        }
    }
}
