internal import CCurl

/// libcurl's process-wide initialisation, done once before any handle exists (libcurl requires it
/// before threads use it; a `static let` initialiser runs exactly once, thread-safely).
enum CurlRuntime {
    private static let initialized: Int32 = {
        // CURL_GLOBAL_ALL (SSL | WIN32); the macro is not imported.
        Int32(curl_global_init(3).rawValue)
    }()

    /// Ensures `curl_global_init` ran; returns its result code (0 on success).
    @discardableResult
    static func ensureInitialized() -> Int32 { initialized }
}
