/// Decompresses a gzip member (RFC 1952, DEFLATE of RFC 1951), for BPG's Helm chart, which ships the
/// configuration file gzipped and base64-encoded (`encodedConfig`). Pure Swift, so GatewayCore stays
/// free of C; a configuration file is small, so clarity wins over speed here.
///
/// ```swift
/// let yaml = try GzipDecoder.decompress(Array(gzippedBytes))
/// ```
public enum GzipDecoder {
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

    /// The decompressed content of the first gzip member; its CRC-32 and length are checked.
    /// - Parameter limit: the most bytes the output may hold (a small bomb must not take the memory).
    public static func decompress(_ bytes: [UInt8], limit: Int = 64 << 20) throws(Failure) -> [UInt8] {
        guard bytes.count >= 18, isGzip(bytes) else { throw Failure(message: "no gzip header") }
        guard bytes[2] == 8 else { throw Failure(message: "compression method \(bytes[2]) is not deflate") }
        let flags = bytes[3]
        var offset = 10
        func need(_ count: Int) throws(Failure) {
            guard offset + count <= bytes.count else { throw Failure(message: "truncated header") }
        }
        if flags & 0x04 != 0 {  // FEXTRA
            try need(2)
            let length = Int(bytes[offset]) | Int(bytes[offset + 1]) << 8
            offset += 2
            try need(length)
            offset += length
        }
        for flag: UInt8 in [0x08, 0x10] where flags & flag != 0 {  // FNAME, FCOMMENT: zero-terminated
            while true {
                try need(1)
                offset += 1
                if bytes[offset - 1] == 0 { break }
            }
        }
        if flags & 0x02 != 0 {  // FHCRC
            try need(2)
            offset += 2
        }
        var inflater = Inflater(input: bytes, position: offset, limit: limit)
        try inflater.run()
        var trailer = (inflater.position + 7) / 8
        guard trailer + 8 <= bytes.count else { throw Failure(message: "truncated trailer") }
        func word() -> UInt32 {
            defer { trailer += 4 }
            return UInt32(bytes[trailer]) | UInt32(bytes[trailer + 1]) << 8 | UInt32(bytes[trailer + 2]) << 16
                | UInt32(bytes[trailer + 3]) << 24
        }
        let crc = word()
        let size = word()
        guard crc == crc32(inflater.output) else { throw Failure(message: "CRC mismatch") }
        guard size == UInt32(truncatingIfNeeded: inflater.output.count) else { throw Failure(message: "length mismatch") }
        return inflater.output
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    /// DEFLATE's decoder state: the input read bit by bit (position counts bits), the output so far.
    struct Inflater {
        let input: [UInt8]
        var position: Int
        let limit: Int
        var output: [UInt8] = []

        init(input: [UInt8], position byteOffset: Int, limit: Int) {
            self.input = input
            self.position = byteOffset * 8
            self.limit = limit
        }

        mutating func bits(_ count: Int) throws(Failure) -> Int {
            var value = 0
            for index in 0..<count {
                let byte = position >> 3
                guard byte < input.count else { throw Failure(message: "truncated deflate stream") }
                value |= Int((input[byte] >> UInt8(position & 7)) & 1) << index
                position += 1
            }
            return value
        }

        mutating func run() throws(Failure) {
            var last = false
            while !last {
                last = try bits(1) == 1
                switch try bits(2) {
                case 0: try stored()
                case 1: try compressed(literals: Huffman.fixedLiterals, distances: Huffman.fixedDistances)
                case 2:
                    let (literals, distances) = try dynamicTables()
                    try compressed(literals: literals, distances: distances)
                default: throw Failure(message: "invalid block type")
                }
            }
        }

        mutating func stored() throws(Failure) {
            position = (position + 7) & ~7
            let byte = position >> 3
            guard byte + 4 <= input.count else { throw Failure(message: "truncated stored block") }
            let length = Int(input[byte]) | Int(input[byte + 1]) << 8
            let complement = Int(input[byte + 2]) | Int(input[byte + 3]) << 8
            guard length == ~complement & 0xFFFF else { throw Failure(message: "stored block length mismatch") }
            guard byte + 4 + length <= input.count else { throw Failure(message: "truncated stored block") }
            guard output.count + length <= limit else { throw Failure(message: "output larger than \(limit) bytes") }
            output.append(contentsOf: input[(byte + 4)..<(byte + 4 + length)])
            position = (byte + 4 + length) * 8
        }

        static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
        static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
        static let distanceBase = [
            1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
            6145, 8193, 12289, 16385, 24577,
        ]
        static let distanceExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]

        mutating func compressed(literals: Huffman, distances: Huffman) throws(Failure) {
            while true {
                let symbol = try literals.decode(&self)
                if symbol < 256 {
                    guard output.count < limit else { throw Failure(message: "output larger than \(limit) bytes") }
                    output.append(UInt8(symbol))
                } else if symbol == 256 {
                    return
                } else {
                    let index = symbol - 257
                    guard index < Self.lengthBase.count else { throw Failure(message: "invalid length symbol") }
                    let length = Self.lengthBase[index] + (try bits(Self.lengthExtra[index]))
                    let distanceSymbol = try distances.decode(&self)
                    guard distanceSymbol < Self.distanceBase.count else { throw Failure(message: "invalid distance symbol") }
                    let distance = Self.distanceBase[distanceSymbol] + (try bits(Self.distanceExtra[distanceSymbol]))
                    guard distance <= output.count else { throw Failure(message: "distance too far back") }
                    guard output.count + length <= limit else { throw Failure(message: "output larger than \(limit) bytes") }
                    let start = output.count - distance
                    for step in 0..<length { output.append(output[start + step]) }
                }
            }
        }

        mutating func dynamicTables() throws(Failure) -> (Huffman, Huffman) {
            let literalCount = try bits(5) + 257
            let distanceCount = try bits(5) + 1
            let codeLengthCount = try bits(4) + 4
            let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
            var codeLengths = [Int](repeating: 0, count: 19)
            for index in 0..<codeLengthCount { codeLengths[order[index]] = try bits(3) }
            let codeLengthCode = Huffman(lengths: codeLengths)
            var lengths: [Int] = []
            while lengths.count < literalCount + distanceCount {
                let symbol = try codeLengthCode.decode(&self)
                switch symbol {
                case 0...15: lengths.append(symbol)
                case 16:
                    guard let previous = lengths.last else { throw Failure(message: "repeat with no previous length") }
                    lengths += Array(repeating: previous, count: 3 + (try bits(2)))
                case 17: lengths += Array(repeating: 0, count: 3 + (try bits(3)))
                default: lengths += Array(repeating: 0, count: 11 + (try bits(7)))
                }
            }
            guard lengths.count == literalCount + distanceCount else { throw Failure(message: "code lengths overrun") }
            return (
                Huffman(lengths: Array(lengths[..<literalCount])), Huffman(lengths: Array(lengths[literalCount...]))
            )
        }
    }

    /// A canonical Huffman code, decoded bit by bit (counts per length, symbols in code order).
    struct Huffman: Sendable {
        var counts: [Int]
        var symbols: [Int]

        init(lengths: [Int]) {
            counts = Array(repeating: 0, count: 16)
            for length in lengths { counts[length] += 1 }
            counts[0] = 0
            var offsets = Array(repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            symbols = Array(repeating: 0, count: lengths.count)
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }

        func decode(_ inflater: inout Inflater) throws(Failure) -> Int {
            var code = 0
            var first = 0
            var index = 0
            for length in 1...15 {
                code |= try inflater.bits(1)
                let count = counts[length]
                if code - first < count { return symbols[index + code - first] }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw Failure(message: "invalid Huffman code")
        }

        static let fixedLiterals: Huffman = {
            var lengths = Array(repeating: 8, count: 288)
            for symbol in 144..<256 { lengths[symbol] = 9 }
            for symbol in 256..<280 { lengths[symbol] = 7 }
            return Huffman(lengths: lengths)
        }()
        static let fixedDistances = Huffman(lengths: Array(repeating: 5, count: 30))
    }
}
