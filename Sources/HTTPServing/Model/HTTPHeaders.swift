/// A case-insensitive, order-preserving, multi-valued list of header fields.
///
/// ```swift
/// var headers: HTTPHeaders = ["Content-Type": "application/json"]
/// headers.add("Set-Cookie", "a=1")
/// headers.add("Set-Cookie", "b=2")
/// headers["content-type"]        // "application/json"
/// headers.values("set-cookie")   // ["a=1", "b=2"]
/// ```
public struct HTTPHeaders: Sendable, Sequence, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One header field as received or to be sent; `name` keeps the spelling it was given.
    public typealias Field = (name: String, value: String)

    private var fields: [Field]

    /// An empty header list.
    public init() {
        fields = []
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { (name: $0.0, value: $0.1) }
    }

    /// The first value of `name` (compared case-insensitively); setting replaces every value of
    /// `name`, and setting `nil` removes them.
    public subscript(name: String) -> String? {
        get {
            fields.first { Self.same($0.name, name) }?.value
        }
        set {
            guard let newValue else {
                remove(name)
                return
            }
            if let index = fields.firstIndex(where: { Self.same($0.name, name) }) {
                fields[index].value = newValue
                var next = fields.index(after: index)
                while next < fields.endIndex {
                    if Self.same(fields[next].name, name) {
                        fields.remove(at: next)
                    } else {
                        next = fields.index(after: next)
                    }
                }
            } else {
                fields.append((name: name, value: newValue))
            }
        }
    }

    /// Every value of `name`, in order.
    public func values(_ name: String) -> [String] {
        fields.filter { Self.same($0.name, name) }.map(\.value)
    }

    /// Appends a value, keeping the ones already present (for `Set-Cookie`, `Warning`, …).
    public mutating func add(_ name: String, _ value: String) {
        fields.append((name: name, value: value))
    }

    /// Removes every value of `name`.
    public mutating func remove(_ name: String) {
        fields.removeAll { Self.same($0.name, name) }
    }

    /// Whether at least one value of `name` is present.
    public func contains(_ name: String) -> Bool {
        fields.contains { Self.same($0.name, name) }
    }

    /// The number of fields (a name with two values counts twice).
    public var count: Int { fields.count }

    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[Field]> {
        fields.makeIterator()
    }

    public var description: String {
        "[" + fields.map { "\($0.name): \($0.value)" }.joined(separator: ", ") + "]"
    }

    private static func same(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.count == rhs.utf8.count && lhs.lowercased() == rhs.lowercased()
    }
}
