import CCurl
import CGatewayShims
import Foundation
import JSON

@testable import KubeSimulator

/// A real HTTPS client for live tests: libcurl trusting only the simulator's development CA (passed
/// from memory), one request per call on a dedicated thread so the cooperative pool never blocks.
struct LiveClient: Sendable {
    struct Response: Sendable {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: Data
        var json: JSONValue { (try? JSONValue(parsing: body)) ?? .null }
        var text: String { String(decoding: body, as: UTF8.self) }
        func header(_ name: String) -> String? { headers.first { $0.name.lowercased() == name.lowercased() }?.value }
    }

    struct Failure: Error, CustomStringConvertible {
        var code: Int
        var message: String
        var description: String { "curl_easy_perform failed (\(code)): \(message)" }
        /// CURLE_COULDNT_CONNECT: nothing listens on the port.
        var isConnectionRefused: Bool { code == 7 }
    }

    var baseURL: String
    var token: String?
    var caPEM: String? = SimulatedCluster.developmentCertificateAuthorityPEM

    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_ALL)) }()

    func send(_ method: String, _ pathAndQuery: String, body: JSONValue? = nil, headers: [String] = [], timeout: Int = 20) async throws -> Response {
        let url = baseURL + pathAndQuery
        var allHeaders = headers
        if let token { allHeaders.append("Authorization: Bearer \(token)") }
        if body != nil { allHeaders.append("Content-Type: application/json") }
        let payload = body?.serialized()
        let requestHeaders = allHeaders
        let ca = caPEM
        return try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try Self.perform(method, url, headers: requestHeaders, body: payload, caPEM: ca, timeout: timeout) })
            }
            thread.start()
        }
    }

    final class Sink {
        var body = Data()
        var headerLines: [String] = []
    }

    private static func perform(_ method: String, _ url: String, headers: [String], body: Data?, caPEM: String?, timeout: Int) throws -> Response {
        _ = globalInit
        guard let handle = curl_easy_init() else { throw Failure(code: -1, message: "curl_easy_init failed") }
        defer { curl_easy_cleanup(handle) }
        let sink = Sink()
        let sinkPointer = Unmanaged.passRetained(sink)
        defer { sinkPointer.release() }
        var list: UnsafeMutablePointer<curl_slist>?
        for header in headers { list = curl_slist_append(list, header) }
        defer { curl_slist_free_all(list) }
        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_URL, url)
        _ = gw_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1)
        _ = gw_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT, timeout)
        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_CUSTOMREQUEST, method)
        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_HTTPHEADER, list)
        _ = gw_curl_easy_setopt_write_function(handle, CURLOPT_WRITEFUNCTION, liveWrite)
        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, sinkPointer.toOpaque())
        _ = gw_curl_easy_setopt_write_function(handle, CURLOPT_HEADERFUNCTION, liveHeader)
        _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_HEADERDATA, sinkPointer.toOpaque())
        if let caPEM {
            let bytes = Array(caPEM.utf8)
            _ = bytes.withUnsafeBytes { gw_curl_easy_setopt_blob(handle, CURLOPT_CAINFO_BLOB, $0.baseAddress, $0.count) }
        }
        if let body {
            _ = gw_curl_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBytes { bytes in
                _ = gw_curl_easy_setopt_pointer(handle, CURLOPT_COPYPOSTFIELDS, bytes.baseAddress)
            }
        }
        let code = curl_easy_perform(handle)
        guard code == CURLE_OK else {
            throw Failure(code: Int(code.rawValue), message: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        _ = gw_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        var fields: [(name: String, value: String)] = []
        for line in sink.headerLines {
            if line.hasPrefix("HTTP/") {
                fields = []
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        return Response(status: status, headers: fields, body: sink.body)
    }
}

private let liveWrite: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<LiveClient.Sink>.fromOpaque(context).takeUnretainedValue()
    sink.body.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: size * count)
    return size * count
}

private let liveHeader: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int = {
    data, size, count, context in
    guard let data, let context else { return 0 }
    let sink = Unmanaged<LiveClient.Sink>.fromOpaque(context).takeUnretainedValue()
    let line = String(decoding: UnsafeRawBufferPointer(start: data, count: size * count), as: UTF8.self)
    sink.headerLines.append(line.trimmingCharacters(in: .newlines))
    return size * count
}
