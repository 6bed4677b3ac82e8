import CZlib
import Foundation

/// Gunzips a whole gzip member with zlib, for configuration files shipped gzipped (BPG's Helm chart).
/// The output is bounded, so a small compressed bomb cannot take the memory.
public enum Gunzip {
    /// Why the input is not a valid gzip member.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var message: String
        public var description: String { "not valid gzip data: \(message)" }
    }

    /// Whether `bytes` start with gzip's magic number.
    public static func isGzip(_ bytes: some Collection<UInt8>) -> Bool {
        var iterator = bytes.makeIterator()
        return iterator.next() == 0x1F && iterator.next() == 0x8B
    }

    /// The decompressed content of the first gzip member; zlib checks its CRC-32 and length.
    /// - Parameter limit: the most bytes the output may hold.
    public static func decompress(_ input: Data, limit: Int = 64 << 20) throws(Failure) -> Data {
        guard isGzip(input) else { throw Failure(message: "no gzip header") }
        var stream = z_stream()
        // 16 + MAX_WBITS: a gzip wrapper (header and trailer checked), not zlib's own.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Failure(message: "zlib could not start")
        }
        defer { inflateEnd(&stream) }
        var output = Data()
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        var input = input
        let status: Int32 = input.withUnsafeMutableBytes { (source: UnsafeMutableRawBufferPointer) -> Int32 in
            stream.next_in = source.bindMemory(to: Bytef.self).baseAddress
            stream.avail_in = uInt(source.count)
            while true {
                let result = chunk.withUnsafeMutableBufferPointer { buffer -> Int32 in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = uInt(buffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                if output.count + produced > limit { return Z_MEM_ERROR }
                output.append(contentsOf: chunk[0..<produced])
                if result == Z_STREAM_END { return Z_STREAM_END }
                if result != Z_OK { return result }
                // No progress with input left means the input ended inside the stream.
                if produced == 0 && stream.avail_in == 0 { return Z_BUF_ERROR }
            }
        }
        switch status {
        case Z_STREAM_END:
            return output
        case Z_MEM_ERROR:
            throw Failure(message: "more than \(limit) bytes once decompressed")
        case Z_BUF_ERROR:
            throw Failure(message: "truncated")
        default:
            let reason = stream.msg.map { String(cString: $0) } ?? "zlib error \(status)"
            throw Failure(message: reason)
        }
    }
}
