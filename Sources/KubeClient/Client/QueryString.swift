import Foundation

/// Query parameters, percent-encoded strictly (label selectors contain `=`, `,`, `!` and spaces).
struct QueryString: Sendable {
    private(set) var items: [(name: String, value: String)] = []

    init() {}

    mutating func add(_ name: String, _ value: String?) {
        guard let value else { return }
        items.append((name: name, value: value))
    }

    mutating func add(_ name: String, _ value: Int?) {
        guard let value else { return }
        items.append((name: name, value: String(value)))
    }

    /// `?a=b&c=d`, or empty.
    var encoded: String {
        guard !items.isEmpty else { return "" }
        return "?" + items.map { "\(Self.escape($0.name))=\(Self.escape($0.value))" }.joined(separator: "&")
    }

    private static let unreserved = CharacterSet(
        charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func escape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }
}
