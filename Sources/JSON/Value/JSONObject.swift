/// The members of a JSON object, in order, each key once.
///
/// Lookup scans the members: objects in requests and Kubernetes documents are small, and comparing a
/// few short keys costs less than hashing every key into a dictionary. Setting an existing key
/// replaces its value in place; setting a new key appends it. Two objects are equal when they have
/// the same members, in any order.
public struct JSONObject: Sendable, Hashable, RandomAccessCollection, CustomStringConvertible {
    /// One member.
    public typealias Element = (key: String, value: JSONValue)

    /// The members in order.
    public private(set) var members: [Element]

    /// An empty object.
    public init() { members = [] }

    /// An object with these members; for a repeated key the first position and last value win.
    public init(_ members: some Sequence<Element>) {
        self.init()
        for (key, value) in members { self[key] = value }
    }

    /// An object from a dictionary, its members sorted by key (a dictionary has no order of its own).
    public init(_ dictionary: [String: JSONValue]) {
        members = dictionary.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
    }

    /// Members known to have distinct keys (from the parser).
    init(uniqueMembers: [Element]) { members = uniqueMembers }

    /// Positions of the members, for `RandomAccessCollection`.
    public var startIndex: Int { members.startIndex }
    public var endIndex: Int { members.endIndex }
    public subscript(position: Int) -> Element { members[position] }

    /// The keys in order.
    public var keys: [String] { members.map(\.key) }

    /// The values in order.
    public var values: [JSONValue] { members.map(\.value) }

    /// The position of `key`, if present.
    public func index(forKey key: String) -> Int? {
        members.firstIndex { $0.key == key }
    }

    /// The value of `key`; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            for member in members where member.key == key { return member.value }
            return nil
        }
        set {
            if let index = index(forKey: key) {
                if let newValue {
                    members[index].value = newValue
                } else {
                    members.remove(at: index)
                }
            } else if let newValue {
                members.append((key: key, value: newValue))
            }
        }
    }

    /// Removes `key` and returns its value.
    @discardableResult
    public mutating func removeValue(forKey key: String) -> JSONValue? {
        guard let index = index(forKey: key) else { return nil }
        return members.remove(at: index).value
    }

    /// The members as a dictionary.
    public var dictionary: [String: JSONValue] {
        Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
    }

    /// This object with its members sorted by key.
    public func sortedByKey() -> JSONObject {
        JSONObject(uniqueMembers: members.sorted { $0.key < $1.key })
    }

    /// The same members, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.members.count == rhs.members.count else { return false }
        for (index, member) in lhs.members.enumerated() {
            // Same order is the common case: compare in place before searching.
            if rhs.members[index].key == member.key {
                guard rhs.members[index].value == member.value else { return false }
            } else {
                guard rhs[member.key] == member.value else { return false }
            }
        }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent, to agree with `==`: combine the members' hashes commutatively.
        var combined = 0
        for member in members {
            var memberHasher = Hasher()
            memberHasher.combine(member.key)
            memberHasher.combine(member.value)
            combined ^= memberHasher.finalize()
        }
        hasher.combine(members.count)
        hasher.combine(combined)
    }

    public var description: String { JSONValue.object(self).jsonString() }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements.map { (key: $0.0, value: $0.1) })
    }
}
