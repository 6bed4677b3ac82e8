import Foundation
import GatewayCore
import JSON
import Testing

/// The checker itself must catch what the property test relies on it to catch.
@Suite(.enabled(if: SchemaChecker.realCRDIsAvailable, SchemaChecker.realCRDMissing))
struct SchemaCheckerTests {
    static let checker = Result { try SchemaChecker.loadRealCRD() }

    func valid() throws -> JSONValue {
        let spec = SparkApplicationSpec(
            type: "Python", sparkVersion: "3.5.0", mode: "cluster", mainApplicationFile: "local:///app.py",
            driver: SparkPodSpec(cores: 1, memory: "1g"), executor: SparkPodSpec(cores: 1, memory: "1g", instances: 1))
        return try JSONValue.encoding(SparkApplication(metadata: ObjectMeta(name: "x", namespace: "ns"), spec: spec))
    }

    func with(_ value: JSONValue, _ path: [String], _ replacement: JSONValue?) -> JSONValue {
        guard case .object(var object) = value, let head = path.first else { return replacement ?? .null }
        if path.count == 1 {
            object[head] = replacement
        } else {
            object[head] = with(object[head] ?? .object([:]), Array(path.dropFirst()), replacement)
        }
        return .object(object)
    }

    @Test func aMinimalApplicationPasses() throws {
        #expect(try Self.checker.get().problems(in: valid()) == [])
    }

    @Test(arguments: [
        (["spec", "originalUser"], JSONValue?.some(.string("alice")), "spec.originalUser: not in the schema"),
        (["spec", "batchSchedulerOptions", "gang"], .bool(false), "spec.batchSchedulerOptions.gang: not in the schema"),
        (["spec", "type"], .string("Go"), "spec.type: \"Go\" not in enum"),
        (["spec", "executor", "instances"], .int(0), "spec.executor.instances: 0 below minimum 1"),
        (["spec", "driver", "cores"], .string("1"), "spec.driver.cores: expected integer"),
        (["spec", "mainApplicationFile"], nil, ": missing required field mainApplicationFile"),
        (["spec", "driver", "affinity", "nodeAffinity", "bogus"], .int(1), "nodeAffinity.bogus: not in the schema"),
    ])
    func reportsSchemaViolations(path: [String], value: JSONValue?, expected: String) throws {
        let problems = try Self.checker.get().problems(in: with(valid(), path, value))
        #expect(problems.contains { $0.contains(expected) }, "\(problems)")
    }
}
