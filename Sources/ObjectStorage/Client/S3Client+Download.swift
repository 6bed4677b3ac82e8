import Foundation
import HTTPClient

extension S3Client {
    /// Streams the object: the returned sequence yields chunks as they arrive, and the transfer
    /// waits while the reader is slower (at most `bufferBytes` are held). Throws at once when the
    /// object does not exist (`isNotFound`) or access is refused.
    ///
    /// ```swift
    /// for try await chunk in try await client.getObject(bucket: "logs", key: key) { try await writer.write(chunk) }
    /// ```
    public func getObject(bucket: String, key: String, bufferBytes: Int = 1 << 20) async throws(ObjectStorageError) -> ObjectDownload {
        let channel = ChunkChannel(limit: bufferBytes)
        let started = StartSignal()
        let task = Task { [self] in
            do throws(ObjectStorageError) {
                let response = try await send("GET", bucket: bucket, key: key, totalTimeout: nil) { status, headers, data in
                    started.signal(.success(Int(headers["content-length"] ?? "")))
                    return channel.put(data)
                }
                started.signal(.success(Int(response.headers["content-length"] ?? "")))
                channel.finish(nil)
            } catch {
                started.signal(.failure(error))
                channel.finish(error)
            }
        }
        let size = try await started.wait().get()
        return ObjectDownload(channel: channel, task: task, contentLength: size)
    }

    /// The whole object in memory, refusing objects larger than `maxBytes` (for small objects only).
    public func getObjectData(bucket: String, key: String, maxBytes: Int = 16 << 20) async throws(ObjectStorageError) -> Data {
        var data = Data()
        let download = try await getObject(bucket: bucket, key: key)
        do {
            for try await chunk in download {
                data.append(chunk)
                if data.count > maxBytes {
                    download.cancel()
                    throw ObjectStorageError.invalidArgument("object \(key) is larger than \(maxBytes) bytes")
                }
            }
        } catch let error as ObjectStorageError {
            throw error
        } catch {
            throw .transport("\(error)")
        }
        return data
    }
}

/// The chunks of an object being downloaded. Read it to the end or stop early with `cancel()`: a
/// download abandoned otherwise keeps its transfer thread waiting for a reader.
public struct ObjectDownload: AsyncSequence, Sendable {
    public typealias Element = Data
    let channel: ChunkChannel
    let task: Task<Void, Never>
    /// The object's size from `Content-Length`, when S3 sent it.
    public let contentLength: Int?

    public func makeAsyncIterator() -> Iterator { Iterator(channel: channel) }

    /// Stops the transfer; the sequence ends.
    public func cancel() {
        channel.cancel()
    }

    public struct Iterator: AsyncIteratorProtocol {
        let channel: ChunkChannel
        public mutating func next() async throws -> Data? { try await channel.next() }
    }
}

/// Resumes the caller of `getObject` once the answer is known: the first body byte, the end of an
/// empty body, or an error.
final class StartSignal: Sendable {
    private let state = ChunkChannel.Locked<(Result<Int?, ObjectStorageError>?, CheckedContinuation<Result<Int?, ObjectStorageError>, Never>?)>((nil, nil))

    func signal(_ result: Result<Int?, ObjectStorageError>) {
        let waiter: CheckedContinuation<Result<Int?, ObjectStorageError>, Never>? = state.with { s in
            guard s.0 == nil else { return nil }
            s.0 = result
            defer { s.1 = nil }
            return s.1
        }
        waiter?.resume(returning: result)
    }

    func wait() async -> Result<Int?, ObjectStorageError> {
        await withCheckedContinuation { continuation in
            let ready: Result<Int?, ObjectStorageError>? = state.with { s in
                if let result = s.0 { return result }
                s.1 = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
