import Foundation

/// Options of `GET …/pods/{name}/log`.
public struct PodLogOptions: Sendable, Hashable {
    /// Required when the pod has more than one container.
    public var container: String?
    /// Only the last N lines.
    public var tailLines: Int?
    /// Stop after this many bytes.
    public var limitBytes: Int?
    /// Keep the stream open and deliver new lines as the container writes them (ends when the
    /// container stops, or after `watchIdleTimeout` without a byte).
    public var follow: Bool
    public var timestamps: Bool
    public var sinceSeconds: Int?
    /// The previous (crashed) container's log.
    public var previous: Bool

    public init(
        container: String? = nil, tailLines: Int? = nil, limitBytes: Int? = nil, follow: Bool = false,
        timestamps: Bool = false, sinceSeconds: Int? = nil, previous: Bool = false
    ) {
        self.container = container
        self.tailLines = tailLines
        self.limitBytes = limitBytes
        self.follow = follow
        self.timestamps = timestamps
        self.sinceSeconds = sinceSeconds
        self.previous = previous
    }

    var query: QueryString {
        var query = QueryString()
        query.add("container", container)
        query.add("tailLines", tailLines)
        query.add("limitBytes", limitBytes)
        if follow { query.add("follow", "true") }
        if timestamps { query.add("timestamps", "true") }
        query.add("sinceSeconds", sinceSeconds)
        if previous { query.add("previous", "true") }
        return query
    }
}

extension KubernetesClient {
    /// Streams a container's log as raw chunks. Throws (before returning) when the pod or container
    /// does not exist; the stream then throws transport failures, and ends when the server ends the log.
    /// Stopping iteration (or cancelling the task) closes the transfer.
    public func podLogs(
        named name: String, namespace: String, options: PodLogOptions = PodLogOptions()
    ) async throws(KubeError) -> AsyncThrowingStream<Data, any Error> {
        let buffer = try await openStream(KubeResource.pods.path(namespace: namespace, name: name, subresource: "log"), query: options.query)
        let reader = StreamReader(buffer: buffer, clusterID: clusterID)
        return AsyncThrowingStream(unfolding: { try await reader.nextChunk() })
    }

    /// Streams a container's log line by line (without the newline; a last line without one is
    /// delivered at the end). Lines longer than `maxWatchLineBytes` fail the stream with `.tooLarge`.
    public func podLogLines(
        named name: String, namespace: String, options: PodLogOptions = PodLogOptions()
    ) async throws(KubeError) -> AsyncThrowingStream<String, any Error> {
        let buffer = try await openStream(KubeResource.pods.path(namespace: namespace, name: name, subresource: "log"), query: options.query)
        let reader = StreamReader(buffer: buffer, clusterID: clusterID, maxLineBytes: maxWatchLineBytes)
        return AsyncThrowingStream(unfolding: { try await reader.nextLine() })
    }
}

/// Owns a streamed body for an `AsyncThrowingStream`: cancels the transfer when the stream is
/// dropped (a consumer that `break`s out of its loop), and turns failures into `KubeError`s.
actor StreamReader {
    private let buffer: StreamBuffer
    private let clusterID: String
    private var lines: LineBuffer
    private var ended = false

    init(buffer: StreamBuffer, clusterID: String, maxLineBytes: Int = 1 << 20) {
        self.buffer = buffer
        self.clusterID = clusterID
        self.lines = LineBuffer(maxLineBytes: maxLineBytes)
    }

    deinit {
        buffer.cancel()
    }

    func nextChunk() async throws -> Data? {
        while true {
            do {
                guard let chunk = try await buffer.next() else { return nil }
                if !chunk.isEmpty { return chunk }
            } catch let failure as TransferFailure {
                throw failure.kubeError(clusterID: clusterID)
            }
        }
    }

    func nextLine() async throws -> String? {
        while true {
            do {
                if let line = try lines.nextLine() { return String(decoding: line, as: UTF8.self) }
            } catch {
                throw KubeError(code: .tooLarge, clusterID: clusterID, message: "log line longer than \(error.limit) bytes")
            }
            if ended { return nil }
            if let chunk = try await nextChunk() {
                lines.append(chunk)
            } else {
                ended = true
                lines.append(Data([0x0A]))  // deliver a final line without a newline
            }
        }
    }
}
