import Foundation
import YAML

extension Kubeconfig {
    /// Parses one kubeconfig document; `path` names it in errors and anchors relative paths.
    public static func parse(_ text: String, path: String) throws(KubeError) -> Kubeconfig {
        let file: KubeconfigFile
        do {
            file = try YAMLDecoder().decode(KubeconfigFile.self, from: text)
        } catch {
            // YAMLError names the line, column and field of the problem.
            throw KubeError(code: .configuration, clusterID: "kubeconfig", message: "\(path): \(error)")
        }
        return try Kubeconfig(file: file, path: path)
    }

    /// Reads and merges kubeconfig files in order (first definition of a name wins). Files listed
    /// but missing are skipped, as client-go does; none readable at all is an error.
    public static func load(paths: [String]) throws(KubeError) -> Kubeconfig {
        var merged: Kubeconfig?
        for path in paths {
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw KubeError(code: .configuration, clusterID: "kubeconfig", message: "\(path): cannot be read")
            }
            let parsed = try parse(text, path: path)
            merged = merged.map { $0.merging(parsed) } ?? parsed
        }
        guard let merged else {
            throw KubeError(
                code: .configuration, clusterID: "kubeconfig",
                message: "no kubeconfig file found (looked at \(paths.isEmpty ? "nothing" : paths.joined(separator: ":")))")
        }
        return merged
    }
}

extension KubeClientConfiguration {
    /// The configuration of a kubeconfig context. Pass the `KUBECONFIG` value and the home folder
    /// in (the environment is read at the executable's edge); `context: nil` uses `current-context`.
    public static func fromKubeconfig(
        kubeconfigVariable: String?, homeDirectory: String?, context: String? = nil
    ) throws(KubeError) -> KubeClientConfiguration {
        let kubeconfig = try Kubeconfig.load(paths: Kubeconfig.paths(kubeconfigVariable: kubeconfigVariable, homeDirectory: homeDirectory))
        return try kubeconfig.configuration(context: context)
    }
}
