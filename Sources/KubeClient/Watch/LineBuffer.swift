import Foundation

/// Splits a byte stream into newline-terminated lines across arbitrary chunk boundaries (a watch's
/// chunks rarely align with its JSON lines). A partial line waits for the rest; a line longer than
/// `maxLineBytes` is an error, so a broken server cannot grow memory without bound.
struct LineBuffer: Sendable {
    /// A line grew past the bound without a newline.
    struct LineTooLong: Error, Sendable {
        var limit: Int
    }

    private var storage: [UInt8] = []
    private var start = 0
    /// Where to resume looking for a newline (bytes before it were already scanned).
    private var scanned = 0
    let maxLineBytes: Int

    init(maxLineBytes: Int) {
        self.maxLineBytes = maxLineBytes
    }

    /// Bytes received but not yet returned as lines.
    var pendingBytes: Int { storage.count - start }

    mutating func append(_ data: Data) {
        if start > 0 && start >= storage.count / 2 {
            // Drop consumed bytes before growing, so the buffer stays about one line plus one chunk.
            storage.removeSubrange(0..<start)
            scanned -= start
            start = 0
        }
        storage.append(contentsOf: data)
    }

    /// The next complete line without its terminator (`\n` or `\r\n`), skipping empty lines; `nil`
    /// when only a partial line remains. Throws `LineTooLong` when that partial line is over the bound.
    mutating func nextLine() throws(LineTooLong) -> Data? {
        while true {
            let found: Int? = storage.withUnsafeBufferPointer { buffer in
                guard scanned < buffer.count, let base = buffer.baseAddress else { return nil }
                guard let hit = memchr(base + scanned, 0x0A, buffer.count - scanned) else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            guard let newline = found else {
                scanned = storage.count
                if storage.count - start > maxLineBytes { throw LineTooLong(limit: maxLineBytes) }
                return nil
            }
            var end = newline
            if end > start && storage[end - 1] == 0x0D { end -= 1 }
            let lineStart = start
            start = newline + 1
            scanned = start
            if end - lineStart > maxLineBytes { throw LineTooLong(limit: maxLineBytes) }
            if end > lineStart {
                return storage.withUnsafeBufferPointer { Data(buffer: UnsafeBufferPointer(rebasing: $0[lineStart..<end])) }
            }
        }
    }
}
