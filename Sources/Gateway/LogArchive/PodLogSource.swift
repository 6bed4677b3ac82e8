import Foundation
import ObjectStorage

/// A pod's log stream as an upload source: chunks are handed to the S3 client as they arrive, so an
/// archive holds at most the client's part buffers in memory, whatever the log's size.
struct PodLogSource: ObjectSource {
    private var iterator: AsyncThrowingStream<Data, any Error>.AsyncIterator
    private var pending = Data()
    /// Bytes handed out so far.
    private(set) var bytesRead = 0

    init(_ stream: AsyncThrowingStream<Data, any Error>) {
        iterator = stream.makeAsyncIterator()
    }

    mutating func read(maxLength: Int) async throws -> Data {
        while pending.isEmpty {
            guard let chunk = try await iterator.next() else {
                // A log stream also ends when the reading task is cancelled (the monitor stopping
                // mid-upload): that is a cut log, and uploading it would archive a truncated copy.
                try Task.checkCancellation()
                return Data()
            }
            pending = chunk
        }
        let piece = pending.prefix(maxLength)
        pending = pending.dropFirst(piece.count)
        if pending.isEmpty { pending = Data() }
        bytesRead += piece.count
        return Data(piece)
    }
}
