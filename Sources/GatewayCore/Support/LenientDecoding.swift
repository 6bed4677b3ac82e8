import Foundation

/// A scalar decoded from a string, number or boolean, kept as its string form.
///
/// BPG's Jackson maps are `Map<String,String>` and coerce YAML/JSON numbers and booleans to strings
/// (`spark.executor.instances: 4`); this keeps that behaviour for every map value.
struct LenientString: Decodable {
    var value: String

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            value = string
        } else if let bool = try? container.decode(Bool.self) {
            value = bool ? "true" : "false"
        } else if let int = try? container.decode(Int64.self) {
            value = String(int)
        } else if let double = try? container.decode(Double.self) {
            value = double.rounded() == double && abs(double) < 1e15 ? String(Int64(double)) : String(double)
        } else {
            throw DecodingError.typeMismatch(
                String.self,
                .init(codingPath: decoder.codingPath, debugDescription: "expected a string, number or boolean"))
        }
    }
}

/// An integer that also accepts a fractional JSON number (truncated, as Jackson does for `Integer`
/// fields) or a numeric string (YAML scalars).
struct LenientInt: Decodable {
    var value: Int

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let int = try? container.decode(Int.self) {
            value = int
        } else if let double = try? container.decode(Double.self), double.isFinite, abs(double) < 1e15 {
            value = Int(double)
        } else if let string = try? container.decode(String.self),
            let int = Int(string.trimmingSpaces)
        {
            value = int
        } else {
            throw DecodingError.typeMismatch(
                Int.self, .init(codingPath: decoder.codingPath, debugDescription: "expected an integer"))
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes a `map<string,string>` whose values may be written as numbers or booleans.
    func decodeStringMap(forKey key: Key) throws -> [String: String]? {
        guard let raw = try decodeIfPresent([String: LenientString].self, forKey: key) else { return nil }
        return raw.mapValues(\.value)
    }

    /// Decodes an integer that may be written as a fractional number or a numeric string.
    func decodeLenientInt(forKey key: Key) throws -> Int? {
        try decodeIfPresent(LenientInt.self, forKey: key)?.value
    }

    /// Decodes a list of strings whose items may be written as numbers (`sparkVersions: [3.2]`).
    func decodeStringList(forKey key: Key) throws -> [String]? {
        try decodeIfPresent([LenientString].self, forKey: key)?.map(\.value)
    }
}
