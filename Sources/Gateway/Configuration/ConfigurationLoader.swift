import Foundation
import GatewayCore
import YAML

/// Reads a configuration file (BPG's YAML, or JSON) into a validated `GatewayConfiguration`.
public enum ConfigurationLoader {
    /// Why a configuration could not be used: every problem, each naming its key path.
    public struct Failure: Error, CustomStringConvertible {
        public var file: String
        public var problems: [String]
        public init(file: String, problems: [String]) {
            self.file = file
            self.problems = problems
        }
        public var description: String {
            (["\(file): \(problems.count) problem\(problems.count == 1 ? "" : "s")"] + problems.map { "  - \($0)" })
                .joined(separator: "\n")
        }
    }

    /// Loads `path`. YAML is the default; a document starting with `{` is read as JSON (JSON is valid
    /// YAML too, but the JSON parser gives better messages for JSON).
    public static func load(path: String) throws(Failure) -> LoadedConfiguration {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw Failure(file: path, problems: ["cannot read the file: \(error.localizedDescription)"])
        }
        return try load(data: data, name: path)
    }

    public static func load(data: Data, name: String) throws(Failure) -> LoadedConfiguration {
        let tree: ConfigurationTree
        do {
            let firstByte = data.first { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }
            if firstByte == UInt8(ascii: "{") {
                tree = try ConfigurationTree(json: data)
            } else {
                tree = try YAMLDecoder().decode(ConfigurationTree.self, from: data)
            }
        } catch {
            throw Failure(file: name, problems: ["not a valid YAML or JSON document: \(error)"])
        }
        do {
            return try GatewayConfiguration.load(from: tree)
        } catch {
            throw Failure(file: name, problems: error.problems.map { "\($0)" })
        }
    }
}
