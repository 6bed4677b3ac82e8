/// One JSON value: the single JSON representation every module of the gateway shares.
///
/// Objects keep their members in document order (``JSONObject``) and numbers keep their exact value
/// (``JSONNumber``), so a document read and written again comes out with the same members in the same
/// order and `9223372036854775807` or `0.1` unchanged.
///
/// ```swift
/// let value = try JSONValue(parsing: Array(#"{"kind":"Pod","metadata":{"name":"p"}}"#.utf8))
/// value["metadata"]?["name"]?.stringValue  // "p"
/// let text = value.jsonString()            // {"kind":"Pod","metadata":{"name":"p"}}
/// ```
public enum JSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, exactly as written.
    case number(JSONNumber)
    /// A string.
    case string(String)
    /// An array.
    case array([JSONValue])
    /// An object, its members in order.
    case object(JSONObject)
}

extension JSONValue {
    /// An integer number.
    public static func int<I: BinaryInteger>(_ value: I) -> JSONValue { .number(JSONNumber(value)) }

    /// A floating-point number; `null` when `value` is not finite (JSON has no NaN or infinity).
    public static func double(_ value: Double) -> JSONValue {
        guard let number = JSONNumber(value) else { return .null }
        return .number(number)
    }

    /// The member `key` of an object (`nil` for a missing member or a non-object). Setting on a
    /// non-object turns it into an object; setting `nil` removes the member.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let object) = self { return object[key] }
            return nil
        }
        set {
            var object: JSONObject
            if case .object(let existing) = self { object = existing } else { object = JSONObject() }
            self = .null  // release the old storage so the object below is uniquely referenced
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The value at a path of object members: `value[path: ["metadata", "name"]]`. Setting creates
    /// the objects along the way.
    public subscript(path path: [String]) -> JSONValue? {
        get {
            var current: JSONValue? = self
            for key in path { current = current?[key] }
            return current
        }
        set {
            guard let first = path.first else {
                self = newValue ?? .null
                return
            }
            if path.count == 1 {
                self[first] = newValue
            } else {
                var child = self[first] ?? .object(JSONObject())
                child[path: Array(path.dropFirst())] = newValue
                self[first] = child
            }
        }
    }

    /// The element at `index` of an array, `nil` for anything else or out of range.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let elements) = self, elements.indices.contains(index) { return elements[index] }
        return nil
    }

    /// Whether this is `null`.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The string, when this is one.
    public var stringValue: String? { if case .string(let value) = self { value } else { nil } }

    /// The boolean, when this is one.
    public var boolValue: Bool? { if case .bool(let value) = self { value } else { nil } }

    /// The number, when this is one.
    public var numberValue: JSONNumber? { if case .number(let value) = self { value } else { nil } }

    /// The number as an `Int`, when it is an integer that fits (`2.0` and `2e0` count).
    public var intValue: Int? { numberValue?.intValue }

    /// The number as an `Int64`, when it is an integer that fits.
    public var int64Value: Int64? { numberValue?.int64Value }

    /// The number as a `Double` (nearest), when this is a number.
    public var doubleValue: Double? { numberValue?.doubleValue }

    /// The members, when this is an object.
    public var objectValue: JSONObject? { if case .object(let value) = self { value } else { nil } }

    /// The elements, when this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let value) = self { value } else { nil } }

    /// What kind of value this is, as JSON Schema names it (`object`, `array`, `string`, `integer`,
    /// `number`, `boolean`, `null`): for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number(let number): number.isInteger ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// Literals, so documents can be written as Swift: `["kind": "Pod", "spec": ["replicas": 3]]`.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral, ExpressibleByFloatLiteral
{
    /// Literal initialisers.
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    /// Members in the order written; a repeated key keeps its first position and its last value.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        var object = JSONObject()
        for (key, value) in elements { object[key] = value }
        self = .object(object)
    }
}
