import Foundation
import HTTPServing
import Logging
import Synchronization

/// The id of the request being handled, carried in a task-local so that every log line written while
/// handling it carries `request_id` without threading a logger through every call.
enum RequestID {
    @TaskLocal static var current: String?

    /// The client's `X-Request-Id` when it is a sane token (an ingress may set one), else a new id.
    static func from(_ header: String?) -> String {
        if let header, (1...64).contains(header.utf8.count),
            header.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x2D || $0 == 0x5F || $0 == 0x2E })
        {
            return header
        }
        return prefix + String(counter.add(1, ordering: .relaxed).newValue, radix: 16)
    }

    /// A random prefix per process and a counter: unique across replicas and restarts without a
    /// system call per request.
    private static let prefix: String = {
        var random = SystemRandomNumberGenerator()
        return String(random.next() & 0xFFFF_FFFF, radix: 16) + "-"
    }()
    private static let counter = Atomic<UInt64>(0)

    /// Runs `handler` with a request id, and echoes it in the `X-Request-Id` response header (error
    /// responses included).
    static func tagging(_ handler: @escaping HTTPHandler) -> HTTPHandler {
        { request in
            let id = from(request.headers["X-Request-Id"])
            return try await $current.withValue(id) {
                var response: HTTPResponse
                do {
                    response = try await handler(request)
                } catch let error as any HTTPResponseError {
                    response = error.response()
                }
                response.headers["X-Request-Id"] = id
                return response
            }
        }
    }
}

/// Adds the current request's id to every log line written while handling it.
public struct RequestIDLogHandler: LogHandler {
    let wrapped: any LogHandler

    /// Adds `request_id` from the task handling a request to every record `wrapped` writes.
    public init(wrapped: any LogHandler) { self.wrapped = wrapped }

    public func write(_ record: LogRecord) {
        guard let id = RequestID.current, record.metadata["request_id"] == nil else {
            wrapped.write(record)
            return
        }
        var tagged = record
        tagged.metadata["request_id"] = id
        wrapped.write(tagged)
    }
}
