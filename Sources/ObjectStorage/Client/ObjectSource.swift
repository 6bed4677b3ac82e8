import Foundation

/// Bytes to upload, read piece by piece so an object is never held in memory whole.
///
/// ```swift
/// struct Zeros: ObjectSource {
///     var left: Int
///     mutating func read(maxLength: Int) async throws -> Data {
///         let n = min(left, maxLength); left -= n; return Data(count: n)
///     }
/// }
/// ```
public protocol ObjectSource {
    /// Up to `maxLength` next bytes; empty at the end. Fewer bytes than asked is not the end.
    mutating func read(maxLength: Int) async throws -> Data

    /// The total length when known up front (a file): such a source up to 5 GiB is sent as one
    /// streamed `PutObject`, with a small buffer, rather than in parts. Default nil.
    var knownLength: Int? { get }
}

extension ObjectSource {
    public var knownLength: Int? { nil }
}

/// An object already in memory.
public struct DataSource: ObjectSource {
    private var data: Data
    private var offset: Int

    public init(_ data: Data) {
        self.data = data
        offset = data.startIndex
    }

    public mutating func read(maxLength: Int) async throws -> Data {
        let end = min(data.endIndex, offset + maxLength)
        defer { offset = end }
        return data[offset..<end]
    }
}

/// A file, read in pieces.
public struct FileSource: ObjectSource {
    private let handle: FileHandle
    public let knownLength: Int?

    public init(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ObjectStorageError.invalidArgument("cannot open \(path) for reading")
        }
        self.handle = handle
        knownLength = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
    }

    public mutating func read(maxLength: Int) async throws -> Data {
        try handle.read(upToCount: maxLength) ?? Data()
    }
}
