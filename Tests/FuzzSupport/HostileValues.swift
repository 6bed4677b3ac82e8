import GatewayCore

/// Values a careless or hostile client sends, as raw JSON fragments, and a seeded source of more.
public enum HostileValues {
    /// Numbers at and past every integer and floating-point limit, written as JSON numbers.
    public static let numbers: [String] = [
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "-9223372036854775809",
        "18446744073709551616", "99999999999999999999999999999999", "9223372036854775", "2147483648", "-2147483649",
        "9007199254740993", "-1", "0", "-0", "-0.0", "0.5", "0.9999999999", "1.5", "1e308", "1e400", "-1e400", "1e-400",
        "4.9e-324", "1E+2", "2e18", "-9.3e18", "1024", "1025", "100", "101",
    ]

    /// Numbers, quantities and words a number or quantity field may receive as a string.
    public static let strings: [String] = [
        "", " ", "NaN", "nan", "-nan", "Infinity", "-Infinity", "inf", "1e400", "1e308", "-0.0", "0x10", "1_000",
        "9223372036854775807", "-9223372036854775808", "9223372036854775808", "9223372036854775807m",
        "9223372036854775808m", "99999999999999999999Gi", "9Ei", "8Ei", "1e20", "1e-20", "0.0000001m", "0.0000001",
        "1e-9223372036854775808", "1e9223372036854775807", "1e30", "1e31", "1E3", "+1", "-1", "0", "0m", "1n", "1u",
        "1024", "1025", "1024000m", "1024001m", "64t", "65t", "8388607p", "8388608p", "1099511627776k", "64Ti", "1.5.5",
        "2g", "512m", "1200m", "\u{0}", "🙂", "1 g",
    ]

    /// Everything but the expected scalar: booleans, null, containers.
    public static let wrongTypes: [String] = ["true", "false", "null", "[]", "{}", "[1]", #"{"a":1}"#, #"[[["x"]]]"#]

    /// `levels` nested arrays, or objects when `objects`.
    public static func deepNesting(levels: Int, objects: Bool = false) -> String {
        objects
            ? String(repeating: #"{"a":"#, count: levels) + "1" + String(repeating: "}", count: levels)
            : String(repeating: "[", count: levels) + "1" + String(repeating: "]", count: levels)
    }

    /// A JSON string of `bytes` characters.
    public static func hugeString(bytes: Int) -> String { "\"" + String(repeating: "a", count: bytes) + "\"" }

    /// Every fixed hostile fragment for a field: numbers, the same as strings, the strings, wrong types.
    public static var all: [String] {
        numbers + numbers.map { "\"\($0)\"" } + strings.map { FuzzJSON.string($0).text } + wrongTypes
    }

    /// `count` more fragments from `random`: integers around the powers of two, doubles of every
    /// magnitude, and quantities with random digits and suffixes.
    public static func generated<R: RandomNumberGenerator>(_ count: Int, using random: inout R) -> [String] {
        let suffixes = ["", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei", "g", "t", "p", "b", "e9", "e-3", "e30"]
        return (0..<count).map { _ -> String in
            switch Int.random(in: 0..<4, using: &random) {
            case 0:
                let shift = Int.random(in: 0...63, using: &random)
                let base = Int64(bitPattern: UInt64(1) << UInt64(shift))
                let delta = Int64.random(in: -2...2, using: &random)
                return String(base &+ delta)
            case 1:
                let exponent = Int.random(in: -330...330, using: &random)
                return "\(Int.random(in: 1...9, using: &random)).\(Int.random(in: 0...999, using: &random))e\(exponent)"
            case 2:
                let digits = (0..<Int.random(in: 1...25, using: &random)).map { _ in String(Int.random(in: 0...9, using: &random)) }
                let suffix = suffixes[Int.random(in: 0..<suffixes.count, using: &random)]
                return "\"" + digits.joined() + suffix + "\""
            default:
                return String(Int64.random(in: .min ... .max, using: &random))
            }
        }
    }

    /// The seed for a fuzz run: `FUZZ_SEED` from the environment to replay a failure, else `fallback`.
    public static func seed(fallback: UInt64, environment: [String: String]) -> UInt64 {
        environment["FUZZ_SEED"].flatMap { UInt64($0) } ?? fallback
    }
}
