import Foundation
import Synchronization

/// A request body read while it arrives, in chunks, for routes registered with
/// `HTTPRouterBuilder.add(_:_:streamingBodyUpTo:_:)` (docs/http-serving.md, "Streamed request bodies").
///
/// ```swift
/// for try await chunk in request.bodyStream! { try sink.write(chunk) }
/// ```
///
/// Iterating throws `HTTPError(413)` once more bytes than the route's limit arrived, and
/// `HTTPServerError.clientDisconnected` when the client goes away before the end. The server reads
/// only a bounded amount ahead of the consumer (`HTTPServerConfiguration.requestBodyBufferBytes`):
/// a slow consumer slows the client down instead of filling memory. Iterate it once, from one task.
public struct HTTPRequestBody: AsyncSequence, Sendable {
    public typealias Element = Data
    let source: any RequestBodySource

    init(source: any RequestBodySource) {
        self.source = source
    }

    /// A body over bytes already in memory (the in-process responder, tests), yielded in 64 KiB
    /// chunks; throws `HTTPError(413)` at the chunk that passes `limit`.
    public init(_ data: Data, limit: Int = .max) {
        source = DataBodySource(data: data, limit: limit)
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(source: source)
    }

    public struct Iterator: AsyncIteratorProtocol {
        let source: any RequestBodySource

        public mutating func next() async throws -> Data? {
            try await source.next()
        }
    }

    static func tooLarge(_ limit: Int) -> HTTPError {
        HTTPError(413, "request body larger than \(limit) bytes")
    }
}

/// Where an `HTTPRequestBody` takes its chunks from: an `Exchange` on the server, bytes in memory in-process.
protocol RequestBodySource: Sendable {
    func next() async throws -> Data?
}

private final class DataBodySource: RequestBodySource {
    private let data: Data
    private let limit: Int
    private let offset: Mutex<Int>

    init(data: Data, limit: Int) {
        self.data = data
        self.limit = limit
        offset = Mutex(data.startIndex)
    }

    func next() async throws -> Data? {
        let range = offset.withLock { offset -> Range<Int> in
            let end = min(data.endIndex, offset + (64 << 10))
            defer { offset = end }
            return offset..<end
        }
        if range.isEmpty { return nil }
        if range.upperBound - data.startIndex > limit { throw HTTPRequestBody.tooLarge(limit) }
        return Data(data[range])
    }
}
