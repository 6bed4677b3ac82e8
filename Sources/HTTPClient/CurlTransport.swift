internal import CCurl
internal import CGatewayShims
import Foundation
import Synchronization

/// Runs HTTP exchanges with libcurl's easy interface, each blocking `curl_easy_perform` on a thread
/// of its own so Swift's cooperative pool is never blocked. Finished handles go back to a small pool
/// so keep-alive connections are reused (a multipart upload sends its parts over one connection).
///
/// KubeClient drives libcurl's multi interface from one loop thread because it multiplexes many
/// watches; object transfers and a command-line client's calls are a few requests at a time, for
/// which a thread each is simpler. ObjectStorage (S3) and GatewayClient (the `bpg` client) use it.
///
/// ```swift
/// let transport = CurlTransport(settings: .init(connectTimeout: .seconds(5)))
/// let answer = try await transport.perform(
///     HTTPExchangeRequest(method: "GET", url: "http://127.0.0.1:8080/skatev2/healthcheck/status", headers: []))
/// print(answer.status, String(decoding: answer.body, as: UTF8.self))
/// ```
public final class CurlTransport: Sendable {
    /// Timeouts, trust and limits shared by every exchange of one transport.
    public struct Settings: Sendable {
        public var connectTimeout: Duration = .seconds(10)
        /// A transfer moving no byte for this long fails (large transfers have no total timeout);
        /// a request may turn it off (``HTTPExchangeRequest/disableIdleTimeout``).
        public var idleTimeout: Duration = .seconds(180)
        /// A PEM file of the certificate authorities to trust instead of the system's.
        public var caFile: String?
        /// The most a non-2xx body of a streamed exchange may hold (it is kept for the error).
        public var maxErrorBodyBytes = 256 << 10

        public init(
            connectTimeout: Duration = .seconds(10), idleTimeout: Duration = .seconds(180), caFile: String? = nil,
            maxErrorBodyBytes: Int = 256 << 10
        ) {
            self.connectTimeout = connectTimeout
            self.idleTimeout = idleTimeout
            self.caFile = caFile
            self.maxErrorBodyBytes = maxErrorBodyBytes
        }
    }

    private let settings: Settings
    private let idle = Mutex<[CurlHandle]>([])
    private static let poolLimit = 8

    public init(settings: Settings) {
        _ = CurlGlobal.initialized
        self.settings = settings
    }

    /// Sends `request` and returns the whole answer (bounded: meant for small bodies and errors).
    public func perform(_ request: HTTPExchangeRequest, maxBodyBytes: Int = 16 << 20) async throws(HTTPClientError) -> HTTPExchangeResponse {
        try await run(request, maxBodyBytes: maxBodyBytes, sink: nil)
    }

    /// Sends `request`; a 2xx body goes to `sink` chunk by chunk on the transfer's thread (returning
    /// false aborts the transfer), anything else comes back in the response body for the error.
    public func perform(
        _ request: HTTPExchangeRequest, streamingTo sink: @escaping @Sendable (Int, [String: String], Data) -> Bool
    ) async throws(HTTPClientError) -> HTTPExchangeResponse {
        try await run(request, maxBodyBytes: settings.maxErrorBodyBytes, sink: sink)
    }

    private func run(
        _ request: HTTPExchangeRequest, maxBodyBytes: Int, sink: (@Sendable (Int, [String: String], Data) -> Bool)?
    ) async throws(HTTPClientError) -> HTTPExchangeResponse {
        let result: Result<HTTPExchangeResponse, HTTPClientError> = await withCheckedContinuation { continuation in
            let thread = Thread { [self] in
                let handle = idle.withLock { $0.popLast() } ?? CurlHandle()
                let outcome = handle.perform(request, settings: settings, maxBodyBytes: maxBodyBytes, sink: sink)
                if case .success = outcome, handle.isUsable {
                    idle.withLock { if $0.count < Self.poolLimit { $0.append(handle) } }
                }
                continuation.resume(returning: outcome)
            }
            thread.name = "http-transfer"
            thread.start()
        }
        return try result.get()
    }
}

private enum CurlGlobal {
    // CURL_GLOBAL_ALL; once per process, before any handle (libcurl's rule for threaded programs).
    static let initialized: Int32 = Int32(curl_global_init(3).rawValue)
}

/// One `CURL*`, used by one thread at a time: a transfer takes it from the pool, runs on its own
/// thread, and returns it. That hand-over through the pool's mutex is why `@unchecked Sendable` is safe.
private final class CurlHandle: @unchecked Sendable {
    let handle: UnsafeMutableRawPointer?
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private(set) var isUsable: Bool

    // Per-transfer state, read by the callbacks.
    fileprivate var responseHeaders: [String: String] = [:]
    fileprivate var body = Data()
    fileprivate var maxBodyBytes = 0
    fileprivate var tooLarge = false
    fileprivate var sink: (@Sendable (Int, [String: String], Data) -> Bool)?
    fileprivate var sinkRefused = false
    fileprivate var pump: UploadPump?

    init() {
        handle = curl_easy_init()
        isUsable = handle != nil
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
    }

    deinit {
        if let handle { curl_easy_cleanup(handle) }
        errorBuffer.deallocate()
    }

    func perform(
        _ request: HTTPExchangeRequest, settings: CurlTransport.Settings, maxBodyBytes: Int,
        sink: (@Sendable (Int, [String: String], Data) -> Bool)?
    ) -> Result<HTTPExchangeResponse, HTTPClientError> {
        guard let handle else { return .failure(.transport("curl_easy_init failed")) }
        curl_easy_reset(handle)
        responseHeaders = [:]
        body = Data()
        tooLarge = false
        sinkRefused = false
        self.maxBodyBytes = maxBodyBytes
        self.sink = sink
        errorBuffer[0] = 0
        defer { self.sink = nil }

        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(headerList) }
        // `Expect:` off: a 100-continue round trip per part costs throughput; `Content-Type` given
        // explicitly so a POSTFIELDS body is not labelled as a form.
        var lines = request.headers.map { "\($0.0): \($0.1)" } + ["Expect:"]
        // libcurl labels a POSTFIELDS body `application/x-www-form-urlencoded` unless told
        // otherwise, and servers then parse a part's bytes as a form: send no type instead.
        if request.body != nil && !request.headers.contains(where: { $0.0.lowercased() == "content-type" }) {
            lines.append("Content-Type:")
        }
        for line in lines {
            headerList = curl_slist_append(headerList, line)
        }

        let run = { (bodyPointer: UnsafeRawBufferPointer?) -> Result<HTTPExchangeResponse, HTTPClientError> in
            do throws(HTTPClientError) {
                try self.configure(request, settings: settings, headers: headerList, body: bodyPointer)
            } catch {
                self.isUsable = false
                return .failure(error)
            }
            let code = curl_easy_perform(handle)
            return self.finish(code)
        }
        if let stream = request.stream {
            self.pump = stream.pump
            defer {
                stream.pump.stop()
                self.pump = nil
            }
            return run(nil)
        }
        if let data = request.body {
            // The pointer is valid for the whole (synchronous) perform; libcurl rewinds it itself
            // when a reused connection turns out dead, which a read callback could not without a seek callback.
            return data.withUnsafeBytes { run($0) }
        }
        return run(nil)
    }

    private func configure(
        _ request: HTTPExchangeRequest, settings: CurlTransport.Settings, headers: UnsafeMutablePointer<curl_slist>?,
        body: UnsafeRawBufferPointer?
    ) throws(HTTPClientError) {
        try set(CURLOPT_URL, string: request.url, "CURLOPT_URL")
        try set(CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https", "CURLOPT_PROTOCOLS_STR")
        try set(CURLOPT_FOLLOWLOCATION, 0, "CURLOPT_FOLLOWLOCATION")
        try set(CURLOPT_TCP_KEEPALIVE, 1, "CURLOPT_TCP_KEEPALIVE")
        // The proxy is explicit so libcurl never picks one up from the process environment.
        try set(CURLOPT_PROXY, string: "", "CURLOPT_PROXY")
        try set(CURLOPT_SSL_VERIFYPEER, 1, "CURLOPT_SSL_VERIFYPEER")
        try set(CURLOPT_SSL_VERIFYHOST, 2, "CURLOPT_SSL_VERIFYHOST")
        if let caFile = settings.caFile { try set(CURLOPT_CAINFO, string: caFile, "CURLOPT_CAINFO") }
        try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, headers), "CURLOPT_HTTPHEADER")
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(settings.connectTimeout), "CURLOPT_CONNECTTIMEOUT_MS")
        if !request.disableIdleTimeout {
            try set(CURLOPT_LOW_SPEED_LIMIT, 1, "CURLOPT_LOW_SPEED_LIMIT")
            try set(CURLOPT_LOW_SPEED_TIME, max(1, Self.milliseconds(settings.idleTimeout) / 1000), "CURLOPT_LOW_SPEED_TIME")
        }
        if let total = request.totalTimeout {
            try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(total), "CURLOPT_TIMEOUT_MS")
        }

        switch request.method {
        case "GET": try set(CURLOPT_HTTPGET, 1, "CURLOPT_HTTPGET")
        case "HEAD": try set(CURLOPT_NOBODY, 1, "CURLOPT_NOBODY")
        default:
            try set(CURLOPT_CUSTOMREQUEST, string: request.method, "CURLOPT_CUSTOMREQUEST")
        }
        if let stream = request.stream {
            // A streamed body cannot be rewound: never send it on a reused connection that may be dead.
            try set(CURLOPT_FRESH_CONNECT, 1, "CURLOPT_FRESH_CONNECT")
            try set(CURLOPT_UPLOAD, 1, "CURLOPT_UPLOAD")
            try check(gw_curl_easy_setopt_off_t(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(stream.length)), "CURLOPT_INFILESIZE_LARGE")
            let context = Unmanaged.passUnretained(self).toOpaque()
            try check(gw_curl_easy_setopt_write_function(handle, CURLOPT_READFUNCTION, transferReadCallback), "CURLOPT_READFUNCTION")
            try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_READDATA, context), "CURLOPT_READDATA")
        }
        if let body {
            try check(gw_curl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)), "CURLOPT_POSTFIELDSIZE_LARGE")
            // A non-null pointer even for an empty body, or libcurl would read from stdin.
            let pointer = body.baseAddress ?? UnsafeRawPointer(errorBuffer)
            try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, pointer), "CURLOPT_POSTFIELDS")
        }

        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(gw_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, transferWriteCallback), "CURLOPT_WRITEFUNCTION")
        try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
        try check(gw_curl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, transferHeaderCallback), "CURLOPT_HEADERFUNCTION")
        try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
    }

    private func finish(_ code: CURLcode) -> Result<HTTPExchangeResponse, HTTPClientError> {
        let status = responseCode()
        if code != CURLE_OK {
            if tooLarge { return .failure(.init(.tooLarge(maxBodyBytes))) }
            if sinkRefused { return .failure(.init(.aborted)) }
            var message = String(cString: errorBuffer)
            if message.isEmpty { message = curl_easy_strerror(code).map { String(cString: $0) } ?? "curl error \(code.rawValue)" }
            isUsable = code != CURLE_OUT_OF_MEMORY
            return .failure(.transport("\(message) (curl_easy_perform: \(code.rawValue))"))
        }
        return .success(HTTPExchangeResponse(status: status, headers: responseHeaders, body: body))
    }

    fileprivate func responseCode() -> Int {
        var code = 0
        _ = gw_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    fileprivate func receiveHeader(_ line: UnsafeBufferPointer<UInt8>) {
        let text = String(decoding: line, as: UTF8.self)
        if text.hasPrefix("HTTP/") {
            responseHeaders = [:]
            return
        }
        guard let colon = text.firstIndex(of: ":") else { return }
        let name = text[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        responseHeaders[name] = text[text.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
    }

    fileprivate func receiveBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if let sink {
            let status = responseCode()
            if (200..<300).contains(status) {
                if sink(status, responseHeaders, Data(bytes)) { return bytes.count }
                sinkRefused = true
                return 0
            }
        }
        if body.count + bytes.count > maxBodyBytes {
            tooLarge = true
            return 0
        }
        body.append(bytes)
        return bytes.count
    }

    private func set(_ option: CURLoption, _ value: Int, _ name: String) throws(HTTPClientError) {
        try check(gw_curl_easy_setopt_long(handle, option, value), name)
    }

    private func set(_ option: CURLoption, string value: String, _ name: String) throws(HTTPClientError) {
        // libcurl copies string options.
        try check(value.withCString { gw_curl_easy_setopt_pointer(handle, option, $0) }, name)
    }

    private func check(_ code: CURLcode, _ name: String) throws(HTTPClientError) {
        guard code != CURLE_OK else { return }
        let text = curl_easy_strerror(code).map { String(cString: $0) } ?? ""
        throw .transport("curl_easy_setopt(\(name)) failed: \(text)")
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }
}

private func transferWriteCallback(
    _ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let owner = Unmanaged<CurlHandle>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard let pointer, length > 0 else { return 0 }
    return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        owner.receiveBody(UnsafeBufferPointer(start: $0, count: length))
    }
}

/// Reads the next bytes of a streamed body; `CURL_READFUNC_ABORT` (0x10000000) when the source failed.
private func transferReadCallback(
    _ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context, let pointer else { return 0x1000_0000 }
    let owner = Unmanaged<CurlHandle>.fromOpaque(context).takeUnretainedValue()
    guard let pump = owner.pump, let taken = pump.take(into: UnsafeMutableRawPointer(pointer), count: size * count) else {
        return 0x1000_0000
    }
    return taken
}

private func transferHeaderCallback(
    _ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    let length = size * count
    guard let context, let pointer else { return length }
    let owner = Unmanaged<CurlHandle>.fromOpaque(context).takeUnretainedValue()
    pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        owner.receiveHeader(UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}
