import Foundation
import KubeSimulator

/// The real SparkApplication CRD for the simulated clusters of the gateway tests, so they run against
/// the pruning and validation of a real API server: `BPG_CRD_PATH`, else
/// `shared/reference/crd/sparkapplications.yaml` in the nearest ancestor of the package root; nil (the
/// simulator's built-in checks) in a checkout without it.
enum ReferenceCRD {
    static let sparkApplications: CustomResourceDefinition? = {
        let file = "sparkapplications.yaml"
        if let variable = ProcessInfo.processInfo.environment["BPG_CRD_PATH"], !variable.isEmpty {
            var isDirectory: ObjCBool = false
            var url = URL(fileURLWithPath: variable)
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
                url.appendPathComponent(file)
            }
            return try? CustomResourceDefinition(contentsOf: url)
        }
        var directory = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { directory.deleteLastPathComponent() }  // Support, GatewayServerTests, Tests → package root
        while directory.path != "/" {
            directory.deleteLastPathComponent()
            let candidate = directory.appendingPathComponent("shared/reference/crd/" + file)
            if FileManager.default.fileExists(atPath: candidate.path) { return try? CustomResourceDefinition(contentsOf: candidate) }
        }
        return nil
    }()
}
