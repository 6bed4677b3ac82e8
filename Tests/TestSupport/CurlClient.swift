import CCurl
import CGatewayShims
import Foundation
import Synchronization

/// What a test sees of a response.
public struct ClientResponse: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// New connections libcurl opened for this request (0 when it reused one).
    public var newConnections: Int
    /// When each piece of the body arrived, to tell a stream from a buffered body.
    public var arrivals: [Date] = []

    public func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    public var text: String { String(decoding: body, as: UTF8.self) }
}

public struct CurlFailure: Error, CustomStringConvertible {
    var code: CURLcode
    public var message: String
    public var description: String { "curl_easy_perform failed (\(code.rawValue)): \(message)" }
}

/// A blocking libcurl easy handle: one handle keeps its connection alive between requests, like a
/// real keep-alive client. Used from dedicated threads only (`perform` below), never from the
/// cooperative pool.
public final class CurlClient {
    private let handle: UnsafeMutableRawPointer
    private let caFile: String?

    public static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    public init(caFile: String? = nil) {
        _ = Self.globalInit
        handle = curl_easy_init()
        self.caFile = caFile
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// Incoming data, with arrival times so tests can see chunks arrive over time.
    final class Sink {
        var body = Data()
        var arrivals: [(Date, Int)] = []
        var headerLines: [String] = []
        /// When set, the transfer is aborted (connection closed) once this many bytes arrived.
        var abortAfter: Int?
        var upload: Data = Data()
        var uploadOffset = 0
    }

    public func request(
        _ method: String, _ url: String, headers: [String] = [], body: Data? = nil, chunkedUpload: Bool = false,
        abortAfter: Int? = nil, timeout: Int = 20
    ) throws -> ClientResponse {
        curl_easy_reset(handle)
        let sink = Sink()
        sink.abortAfter = abortAfter
        let sinkPointer = Unmanaged.passRetained(sink)
        defer { sinkPointer.release() }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers { list = curl_slist_append(list, header) }
        if chunkedUpload { list = curl_slist_append(list, "Transfer-Encoding: chunked") }
        defer { curl_slist_free_all(list) }

        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_URL, url)
        _ = gw_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = gw_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT, timeout)
        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, method)
        if method == "HEAD" { _ = gw_curl_easy_setopt_long(handle, CURLOPT_NOBODY, 1) }
        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, list)
        _ = gw_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, curlWrite)
        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer.toOpaque())
        _ = gw_curl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, curlHeader)
        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, sinkPointer.toOpaque())
        if let caFile {
            _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_CAINFO, caFile)
        }
        if let body {
            if chunkedUpload {
                sink.upload = body
                _ = gw_curl_easy_setopt_long(handle, CURLOPT_UPLOAD, 1)
                _ = gw_curl_easy_setopt_write_function(handle, CURLOPT_READFUNCTION, curlRead)
                _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_READDATA, sinkPointer.toOpaque())
            } else {
                _ = gw_curl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                body.withUnsafeBytes { bytes in
                    _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress)
                }
            }
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            throw CurlFailure(code: code, message: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        var connects = 0
        _ = gw_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        _ = gw_curl_easy_getinfo_long(handle, CURLINFO_NUM_CONNECTS, &connects)
        // Keep only the last header block (after any `100 Continue`).
        var fields: [(name: String, value: String)] = []
        for line in sink.headerLines {
            if line.hasPrefix("HTTP/") { fields = []; continue }
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return ClientResponse(
            status: status, headers: fields, body: sink.body, newConnections: connects, arrivals: sink.arrivals.map(\.0))
    }
}

private let curlWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<CurlClient.Sink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: length)
    sink.arrivals.append((Date(), length))
    if let limit = sink.abortAfter, sink.body.count >= limit { return 0 }
    return length
}

private let curlHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<CurlClient.Sink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: length), as: UTF8.self)
    sink.headerLines.append(line.trimmingCharacters(in: .newlines))
    return length
}

private let curlRead: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    buffer, size, count, context in
    guard let buffer, let context else { return 0 }
    let sink = Unmanaged<CurlClient.Sink>.fromOpaque(context).takeUnretainedValue()
    // Small pieces so the upload really arrives as many chunks.
    let length = min(size * count, sink.upload.count - sink.uploadOffset, 1000)
    guard length > 0 else { return 0 }
    sink.upload.withUnsafeBytes { bytes in
        guard let base = bytes.baseAddress else { return }
        UnsafeMutableRawPointer(buffer).copyMemory(from: base + sink.uploadOffset, byteCount: length)
    }
    sink.uploadOffset += length
    return length
}

/// Runs blocking client work on its own thread so the cooperative pool never blocks.
public func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            continuation.resume(with: Result { try work() })
        }
        thread.start()
    }
}

/// One request on a fresh client, on its own thread.
public func fetch(
    _ method: String, _ url: String, headers: [String] = [], body: Data? = nil, chunkedUpload: Bool = false,
    caFile: String? = nil
) async throws -> ClientResponse {
    try await onThread {
        try CurlClient(caFile: caFile).request(method, url, headers: headers, body: body, chunkedUpload: chunkedUpload)
    }
}

/// Sends `count` GET requests at once through one libcurl multi handle (each on its own
/// connection) and returns their status codes (0 for a failed transfer).
public func concurrentGets(_ url: String, count: Int) throws -> [Int] {
    _ = CurlClient.globalInit
    guard let multi = curl_multi_init() else { throw CurlFailure(code: CURLE_FAILED_INIT, message: "curl_multi_init") }
    defer { curl_multi_cleanup(multi) }
    let sink = CurlClient.Sink()
    let sinkPointer = Unmanaged.passRetained(sink)
    defer { sinkPointer.release() }
    var handles: [UnsafeMutableRawPointer] = []
    for _ in 0..<count {
        let handle: UnsafeMutableRawPointer = curl_easy_init()
        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_URL, url)
        _ = gw_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        // Generous: the suite runs in parallel on two cores, and a starved server is slow, not wrong;
        // a server that never answers still fails the test.
        _ = gw_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT, 90)
        _ = gw_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, curlDiscard)
        curl_multi_add_handle(multi, handle)
        handles.append(handle)
    }
    var running: Int32 = 1
    while running > 0 {
        curl_multi_perform(multi, &running)
        if running > 0 { curl_multi_poll(multi, nil, 0, 1000, nil) }
    }
    return handles.map { handle in
        var status = 0
        _ = gw_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        curl_multi_remove_handle(multi, handle)
        curl_easy_cleanup(handle)
        return status
    }
}

private let curlDiscard: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    _, size, count, _ in size * count
}
