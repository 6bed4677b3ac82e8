internal import CCurl
internal import CGatewayShims
import Foundation

/// Owns one `CURL*` easy handle for one transfer: created, configured, driven and freed on the multi
/// loop's thread only (so it is deliberately not `Sendable`). It keeps alive everything libcurl points
/// to during the transfer: the error buffer, the header list and itself as callback user data.
final class CurlEasyHandle {
    let id: UInt64
    let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private var connectToList: UnsafeMutablePointer<curl_slist>?
    private let streaming: Bool
    private let maxResponseBytes: Int
    private var completion: (@Sendable (TransferOutcome) -> Void)?
    private let makeStreamBuffer: () -> StreamBuffer

    private var responseHeaders: [String: String] = [:]
    private var body = Data()
    private var stream: StreamBuffer?
    private var tooLarge = false
    /// Set after the write callback asked libcurl to pause.
    private(set) var isPaused = false

    /// Creates and configures the handle. Throws `TransferFailure` naming the failing `curl_easy_setopt`.
    init(
        id: UInt64, request: TransportRequest, profile: ConnectionProfile,
        makeStreamBuffer: @escaping () -> StreamBuffer, completion: @escaping @Sendable (TransferOutcome) -> Void
    ) throws(TransferFailure) {
        guard let handle = curl_easy_init() else {
            throw TransferFailure(kind: .setup, curlCode: -1, function: "curl_easy_init", message: "out of memory")
        }
        self.id = id
        self.handle = handle
        self.errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        self.errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        self.streaming = request.streaming
        self.maxResponseBytes = profile.maxResponseBytes
        self.completion = completion
        self.makeStreamBuffer = makeStreamBuffer
        try configure(request: request, profile: profile)
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
        curl_slist_free_all(connectToList)
        errorBuffer.deallocate()
    }

    // MARK: Configuration

    private func set(_ option: CURLoption, _ value: Int, _ name: String) throws(TransferFailure) {
        try check(gw_curl_easy_setopt_long(handle, option, value), name)
    }

    private func set(_ option: CURLoption, string value: String?, _ name: String) throws(TransferFailure) {
        // libcurl copies string options (documented for every option used here).
        let code: CURLcode =
            if let value { value.withCString { gw_curl_easy_setopt_pointer(handle, option, $0) } }
            else { gw_curl_easy_setopt_pointer(handle, option, nil) }
        try check(code, name)
    }

    private func set(_ option: CURLoption, blob: Data, _ name: String) throws(TransferFailure) {
        // The shim passes CURL_BLOB_COPY: libcurl keeps its own copy.
        let code = blob.withUnsafeBytes { gw_curl_easy_setopt_blob(handle, option, $0.baseAddress, $0.count) }
        try check(code, name)
    }

    private func check(_ code: CURLcode, _ name: String) throws(TransferFailure) {
        guard code != CURLE_OK else { return }
        let text = curl_easy_strerror(code).map { String(cString: $0) } ?? ""
        throw TransferFailure(
            kind: .setup, curlCode: Int(code.rawValue), function: "curl_easy_setopt(\(name))", message: text)
    }

    private func configure(request: TransportRequest, profile: ConnectionProfile) throws(TransferFailure) {
        try set(CURLOPT_URL, string: profile.baseURL + request.pathAndQuery, "CURLOPT_URL")
        try set(CURLOPT_NOSIGNAL, 1, "CURLOPT_NOSIGNAL")
        try set(CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_2TLS), "CURLOPT_HTTP_VERSION")
        // Wait for an existing HTTP/2 connection to multiplex on rather than opening another one.
        try set(CURLOPT_PIPEWAIT, 1, "CURLOPT_PIPEWAIT")
        try set(CURLOPT_TCP_KEEPALIVE, 1, "CURLOPT_TCP_KEEPALIVE")
        try set(CURLOPT_PROTOCOLS_STR, string: "http,https", "CURLOPT_PROTOCOLS_STR")
        try set(CURLOPT_FOLLOWLOCATION, 0, "CURLOPT_FOLLOWLOCATION")
        try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer), "CURLOPT_ERRORBUFFER")
        try set(CURLOPT_USERAGENT, string: profile.userAgent, "CURLOPT_USERAGENT")

        // Method and body.
        switch request.method {
        case "GET": try set(CURLOPT_HTTPGET, 1, "CURLOPT_HTTPGET")
        case "HEAD": try set(CURLOPT_NOBODY, 1, "CURLOPT_NOBODY")
        default: try set(CURLOPT_CUSTOMREQUEST, string: request.method, "CURLOPT_CUSTOMREQUEST")
        }
        if let body = request.body {
            try check(gw_curl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count)),
                      "CURLOPT_POSTFIELDSIZE_LARGE")
            // COPYPOSTFIELDS copies POSTFIELDSIZE bytes, so binary bodies are fine.
            let code: CURLcode =
                if body.isEmpty { "".withCString { gw_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0) } }
                else { body.withUnsafeBytes { gw_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) } }
            try check(code, "CURLOPT_COPYPOSTFIELDS")
        }

        // Headers. The list holds the Authorization header: it is never logged.
        var list: UnsafeMutablePointer<curl_slist>?
        // Disable libcurl's `Expect: 100-continue`, which costs a round trip on large bodies.
        for line in request.headers.map({ "\($0.name): \($0.value)" }) + ["Expect:"] {
            guard let appended = curl_slist_append(list, line) else {
                curl_slist_free_all(list)
                throw TransferFailure(kind: .setup, curlCode: -1, function: "curl_slist_append", message: "out of memory")
            }
            list = appended
        }
        headerList = list
        try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, list), "CURLOPT_HTTPHEADER")

        // Timeouts: a total timeout for ordinary calls, an idle (low-speed) one for streams.
        try set(CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(profile.connectTimeout), "CURLOPT_CONNECTTIMEOUT_MS")
        if request.streaming {
            try set(CURLOPT_LOW_SPEED_LIMIT, 1, "CURLOPT_LOW_SPEED_LIMIT")
            try set(CURLOPT_LOW_SPEED_TIME, max(1, Self.milliseconds(profile.idleTimeout) / 1000), "CURLOPT_LOW_SPEED_TIME")
        } else {
            try set(CURLOPT_TIMEOUT_MS, Self.milliseconds(profile.requestTimeout), "CURLOPT_TIMEOUT_MS")
        }

        // Proxy: always explicit, so libcurl never falls back to the process environment.
        try set(CURLOPT_PROXY, string: profile.proxy ?? "", "CURLOPT_PROXY")

        // TLS: always verified unless the configuration explicitly said otherwise.
        if let connectTo = profile.connectTo {
            guard let connectList = curl_slist_append(nil, connectTo) else {
                throw TransferFailure(kind: .setup, curlCode: -1, function: "curl_slist_append", message: "out of memory")
            }
            connectToList = connectList
            try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_CONNECT_TO, connectList), "CURLOPT_CONNECT_TO")
        }
        try set(CURLOPT_SSL_VERIFYPEER, profile.insecureSkipTLSVerify ? 0 : 1, "CURLOPT_SSL_VERIFYPEER")
        try set(CURLOPT_SSL_VERIFYHOST, profile.insecureSkipTLSVerify ? 0 : 2, "CURLOPT_SSL_VERIFYHOST")
        // Trust only the cluster's CA, never the system store as well.
        try set(CURLOPT_CAPATH, string: nil, "CURLOPT_CAPATH")
        if let pem = profile.certificateAuthorityPEM {
            try set(CURLOPT_CAINFO_BLOB, blob: pem, "CURLOPT_CAINFO_BLOB")
        } else if let file = profile.certificateAuthorityFile {
            try set(CURLOPT_CAINFO, string: file, "CURLOPT_CAINFO")
        }
        if let pem = request.clientCertificatePEM ?? profile.clientCertificatePEM {
            try set(CURLOPT_SSLCERTTYPE, string: "PEM", "CURLOPT_SSLCERTTYPE")
            try set(CURLOPT_SSLCERT_BLOB, blob: pem, "CURLOPT_SSLCERT_BLOB")
        } else if let file = profile.clientCertificateFile {
            try set(CURLOPT_SSLCERT, string: file, "CURLOPT_SSLCERT")
        }
        if let pem = request.clientKeyPEM ?? profile.clientKeyPEM {
            try set(CURLOPT_SSLKEYTYPE, string: "PEM", "CURLOPT_SSLKEYTYPE")
            try set(CURLOPT_SSLKEY_BLOB, blob: pem, "CURLOPT_SSLKEY_BLOB")
        } else if let file = profile.clientKeyFile {
            try set(CURLOPT_SSLKEY, string: file, "CURLOPT_SSLKEY")
        }

        // Callbacks; `self` outlives the transfer because the loop holds it until completion.
        let context = Unmanaged.passUnretained(self).toOpaque()
        try check(gw_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, curlWriteCallback), "CURLOPT_WRITEFUNCTION")
        try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, context), "CURLOPT_WRITEDATA")
        try check(gw_curl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, curlHeaderCallback), "CURLOPT_HEADERFUNCTION")
        try check(gw_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, context), "CURLOPT_HEADERDATA")
    }


    private static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        return max(1, Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000))
    }

    // MARK: Callbacks (loop thread)

    fileprivate func receiveHeader(_ line: UnsafeBufferPointer<UInt8>) {
        // Parsed on the bytes: every response has several header lines, and Foundation's
        // `trimmingCharacters` and `lowercased` were a visible part of a create's client-side time.
        if line.count >= 5, line[0] == 0x48, line[1] == 0x54, line[2] == 0x54, line[3] == 0x50, line[4] == 0x2F {
            responseHeaders = [:]  // "HTTP/": a new response (after 100 Continue or a proxy CONNECT)
            return
        }
        guard let colon = line.firstIndex(of: 0x3A) else { return }
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        func text(_ start: Int, _ end: Int, lowercased: Bool) -> String {
            var start = start
            var end = end
            while start < end, isSpace(line[start]) { start += 1 }
            while end > start, isSpace(line[end - 1]) { end -= 1 }
            let bytes = UnsafeBufferPointer(rebasing: line[start..<end])
            guard lowercased else {
                // Header values are ASCII in practice; anything else is kept as Latin-1 (RFC 9110).
                return String(validating: bytes, as: UTF8.self) ?? String(bytes.map { Character(Unicode.Scalar($0)) })
            }
            return String(decoding: bytes.lazy.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        let name = text(0, colon, lowercased: true)
        let value = text(colon + 1, line.count, lowercased: false)
        if let existing = responseHeaders[name] {
            responseHeaders[name] = existing + ", " + value
        } else {
            responseHeaders[name] = value
        }
    }

    /// Returns the number of bytes taken, `0` to abort, or `CURL_WRITEFUNC_PAUSE`.
    fileprivate func receiveBody(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        if streaming {
            if stream == nil && completion != nil {
                let status = responseCode()
                if (200..<300).contains(status) {
                    let buffer = makeStreamBuffer()
                    stream = buffer
                    deliver(.stream(status: status, headers: responseHeaders, body: buffer))
                }
            }
            if let stream {
                if stream.offer(Data(bytes)) { return bytes.count }
                isPaused = true
                return Self.writePause
            }
        }
        if body.count + bytes.count > maxResponseBytes {
            tooLarge = true
            return 0
        }
        body.append(bytes)
        return bytes.count
    }

    /// `CURL_WRITEFUNC_PAUSE` (a macro Swift does not import).
    static let writePause = 0x1000_0001

    func markResumed() { isPaused = false }

    private func responseCode() -> Int {
        var code = 0
        _ = gw_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    private func deliver(_ outcome: TransferOutcome) {
        guard let completion else { return }
        self.completion = nil
        completion(outcome)
    }

    // MARK: Completion (loop thread)

    /// Called once the multi handle reports the transfer done (or it was cancelled/failed to start).
    func complete(result: CURLcode) {
        let failure: TransferFailure? = result == CURLE_OK ? nil : classify(result)
        if let stream {
            stream.finish(failure.map { $0 as any Error })
            return
        }
        if let failure {
            deliver(.failure(failure))
            return
        }
        let status = responseCode()
        if streaming && (200..<300).contains(status) {
            // A 2xx stream that ended before any body byte: an empty stream.
            let buffer = makeStreamBuffer()
            deliver(.stream(status: status, headers: responseHeaders, body: buffer))
            buffer.finish(nil)
            return
        }
        deliver(.response(TransportResponse(status: status, headers: responseHeaders, body: body)))
    }

    /// Ends the transfer without libcurl (cancelled, shut down).
    func abandon(_ failure: TransferFailure) {
        if let stream {
            stream.finish(failure.kind == .cancelled ? CancellationError() : failure)
        } else {
            deliver(.failure(failure))
        }
    }

    private func classify(_ code: CURLcode) -> TransferFailure {
        if tooLarge {
            return TransferFailure(
                kind: .tooLarge, curlCode: Int(code.rawValue), function: "curl_multi_perform",
                message: "response larger than \(maxResponseBytes) bytes")
        }
        // What matters for a create is whether the request can have reached the server: failures
        // before the request left (refused, DNS, TLS handshake, a rejected option) prove nothing was
        // created; an empty reply or a connection broken afterwards leaves the outcome unknown.
        let kind: TransferFailure.Kind
        switch code {
        case CURLE_COULDNT_CONNECT: kind = .connectionRefused
        case CURLE_GOT_NOTHING: kind = .emptyReply
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT, CURLE_NOT_BUILT_IN, CURLE_BAD_FUNCTION_ARGUMENT,
            CURLE_UNKNOWN_OPTION, CURLE_FAILED_INIT:
            kind = .setup
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: kind = .dns
        case CURLE_OPERATION_TIMEDOUT: kind = .timeout
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
            CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_CRL_BADFILE,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_SHUTDOWN_FAILED, CURLE_USE_SSL_FAILED:
            kind = .tls
        default: kind = .other
        }
        var message = String(cString: errorBuffer)
        if message.isEmpty { message = curl_easy_strerror(code).map { String(cString: $0) } ?? "" }
        return TransferFailure(kind: kind, curlCode: Int(code.rawValue), function: "curl_multi_perform", message: message)
    }
}

private func curlWriteCallback(
    _ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    guard let context else { return 0 }
    let owner = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard let pointer, length > 0 else { return owner.receiveBody(UnsafeBufferPointer(start: nil, count: 0)) }
    return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        owner.receiveBody(UnsafeBufferPointer(start: $0, count: length))
    }
}

private func curlHeaderCallback(
    _ pointer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ context: UnsafeMutableRawPointer?
) -> Int {
    let length = size * count
    guard let context, let pointer else { return length }
    let owner = Unmanaged<CurlEasyHandle>.fromOpaque(context).takeUnretainedValue()
    pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
        owner.receiveHeader(UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}
