import Foundation
import Synchronization

/// Writes a streamed response body chunk by chunk (chunked transfer encoding on the wire).
///
/// ```swift
/// HTTPResponse(headers: ["Content-Type": "application/x-ndjson"], body: .stream { writer in
///     for try await event in events {
///         try await writer.write(Data((event.json + "\n").utf8))
///     }
/// })
/// ```
public struct HTTPBodyWriter: Sendable {
    private let sink: @Sendable (Data) async throws -> Void

    /// A writer that hands every chunk to `sink`; the server supplies its own, and tests may make
    /// one to collect what a stream writes.
    public init(_ sink: @escaping @Sendable (Data) async throws -> Void) {
        self.sink = sink
    }

    /// Sends `bytes` as the next part of the body. Empty writes are ignored.
    ///
    /// Suspends while the client reads slowly (the server buffers a bounded amount) and throws
    /// `HTTPServerError` once the client has gone or the server has cut the stream at shutdown,
    /// so producers such as watch streams and log follows stop.
    public func write(_ bytes: Data) async throws {
        guard !bytes.isEmpty else { return }
        try await sink(bytes)
    }

    /// Sends the UTF-8 bytes of `text`.
    public func write(_ text: String) async throws {
        try await write(Data(text.utf8))
    }
}

/// Accumulates what an in-process stream writes.
final class CollectedBody: Sendable {
    private let storage = Mutex(Data())

    func append(_ bytes: Data) {
        storage.withLock { $0.append(bytes) }
    }

    var data: Data { storage.withLock { $0 } }
}
