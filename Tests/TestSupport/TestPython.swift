import Foundation
import KubeClient

/// The Python venv that `scripts/setup.sh --tests` fills (`.build-python/venv`), for the tests that
/// drive real Python clients (Livy, the Kubernetes client, selenium): where its interpreter is, and
/// why a module cannot be used, so such a test skips with the reason instead of failing.
public enum TestPython {
    /// The repository's root (this file is `Tests/TestSupport/TestPython.swift`).
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    public static let interpreter = repository.appendingPathComponent(".build-python/venv/bin/python").path

    /// Why `module` cannot be imported by the venv's interpreter, or nil when it can.
    public static func missing(_ module: String) -> String? {
        guard FileManager.default.isExecutableFile(atPath: interpreter) else {
            return "no Python venv at \(interpreter): run ./scripts/setup.sh --tests (needs python3 with venv and access to PyPI)"
        }
        guard let result = try? ChildProcess.run(interpreter, ["-c", "import \(module)"], timeout: .seconds(60)), result.status == 0
        else { return "the Python package providing \(module) is not installed in \(interpreter) (see scripts/setup.sh)" }
        return nil
    }
}
