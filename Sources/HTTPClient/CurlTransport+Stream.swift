import Foundation

extension CurlTransport {
    /// Sends `request` and returns as soon as the answer's status is known: a 2xx body then arrives
    /// chunk by chunk through the returned sequence (at most `bufferBytes` held while the reader is
    /// slower); any other status comes back with its whole body, bounded by
    /// ``Settings/maxErrorBodyBytes``, in ``HTTPStreamedResponse/errorBody``.
    ///
    /// For answers that stay open: a followed log, a Server-Sent Events stream.
    ///
    /// ```swift
    /// let answer = try await transport.stream(HTTPExchangeRequest(method: "GET", url: url, headers: []))
    /// guard answer.status == 200 else { throw … }
    /// for try await chunk in answer { FileHandle.standardOutput.write(chunk) }
    /// ```
    public func stream(_ request: HTTPExchangeRequest, bufferBytes: Int = 1 << 20) async throws(HTTPClientError) -> HTTPStreamedResponse {
        let channel = ChunkChannel(limit: bufferBytes)
        let started = OneShot<Result<HTTPExchangeResponse, HTTPClientError>>()
        Task { [self] in
            do throws(HTTPClientError) {
                let response = try await perform(request) { status, headers, data in
                    started.fulfil(.success(HTTPExchangeResponse(status: status, headers: headers, body: Data())))
                    return channel.put(data)
                }
                started.fulfil(.success(response))
                channel.finish(nil)
            } catch {
                started.fulfil(.failure(error))
                // A reader that stopped on purpose sees the end, not an error.
                channel.finish(error.isAborted ? nil : error)
            }
        }
        let head = try await started.wait().get()
        let success = (200..<300).contains(head.status)
        if !success { channel.cancel() }
        return HTTPStreamedResponse(
            status: head.status, headers: head.headers, errorBody: success ? Data() : head.body, channel: channel)
    }
}

/// An answer whose body is still arriving. Read it to the end or stop early with `cancel()`: an
/// answer abandoned otherwise keeps its transfer thread waiting for a reader.
public struct HTTPStreamedResponse: AsyncSequence, Sendable {
    public typealias Element = Data
    public let status: Int
    /// Lower-cased names.
    public let headers: [String: String]
    /// The whole body of a non-2xx answer; empty for a 2xx answer, whose body is this sequence.
    public let errorBody: Data
    let channel: ChunkChannel

    public func makeAsyncIterator() -> Iterator { Iterator(channel: channel) }

    /// Stops the transfer (at its next chunk); the sequence ends.
    public func cancel() { channel.cancel() }

    public struct Iterator: AsyncIteratorProtocol {
        let channel: ChunkChannel
        public mutating func next() async throws -> Data? { try await channel.next() }
    }
}

/// A value set once by one side and awaited by the other; later values are ignored.
final class OneShot<Value: Sendable>: Sendable {
    private let state = ChunkChannel.Locked<(Value?, CheckedContinuation<Value, Never>?)>((nil, nil))

    func fulfil(_ value: Value) {
        let waiter: CheckedContinuation<Value, Never>? = state.with { s in
            guard s.0 == nil else { return nil }
            s.0 = value
            defer { s.1 = nil }
            return s.1
        }
        waiter?.resume(returning: value)
    }

    func wait() async -> Value {
        await withCheckedContinuation { continuation in
            let ready: Value? = state.with { s in
                if let value = s.0 { return value }
                s.1 = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
