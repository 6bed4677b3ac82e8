/// A coding key that accepts any string, so a decoder can list every key a mapping actually holds.
/// Works with any `Decoder` (JSON, YAML, the configuration tree), which is why the unknown-field
/// checks use it instead of inspecting raw bytes.
struct AnyCodingKey: CodingKey, Hashable {
    var stringValue: String
    var intValue: Int?

    init(_ string: String) {
        stringValue = string
        intValue = nil
    }

    init?(stringValue: String) { self.init(stringValue) }

    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
