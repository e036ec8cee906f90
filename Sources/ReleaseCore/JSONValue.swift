/// Any JSON value. Manifests, history lines and Prometheus answers are parsed into it (see
/// `JSONParser`), and every `--json` document is built from it (see `JSONWriter`), so field names
/// are written in one place and output is byte-for-byte stable.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    /// Members in document order; duplicate keys keep the last value when looked up. Equality
    /// ignores member order.
    case object([(String, JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.integer(let a), .integer(let b)): return a == b
        case (.number(let a), .number(let b)): return a == b
        case (.integer(let a), .number(let b)), (.number(let b), .integer(let a)): return Double(a) == b
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)):
            // Objects are unordered: equal when they have the same keys with equal (last) values.
            let left = Dictionary(a, uniquingKeysWith: { _, last in last })
            let right = Dictionary(b, uniquingKeysWith: { _, last in last })
            return left.count == right.count && left.allSatisfy { key, value in right[key] == value }
        default: return false
        }
    }

    /// The member `key` of an object (the last one when repeated); nil for other values.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last(where: { $0.0 == key })?.1
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number as a Double, when this is a number.
    public var doubleValue: Double? {
        switch self {
        case .integer(let value): return Double(value)
        case .number(let value): return value
        default: return nil
        }
    }

    /// The number as an integer, when this is an integer (or a number with no fraction).
    public var integerValue: Int64? {
        switch self {
        case .integer(let value): return value
        case .number(let value):
            guard value.rounded() == value, abs(value) < 9.0e18 else { return nil }
            return Int64(value)
        default: return nil
        }
    }

    /// The name of the JSON type, for error messages: `null`, `boolean`, `number`, ...
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue {
    /// A string, or null when `value` is nil.
    public static func optional(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    /// An integer, or null when `value` is nil.
    public static func optional(_ value: Int64?) -> JSONValue {
        value.map { .integer($0) } ?? .null
    }

    /// A number, or null when `value` is nil, NaN or infinite (JSON has no NaN).
    public static func optional(_ value: Double?) -> JSONValue {
        guard let value, value.isFinite else { return .null }
        return .number(value)
    }

    /// A boolean, or null when `value` is nil.
    public static func optional(_ value: Bool?) -> JSONValue {
        value.map { .bool($0) } ?? .null
    }
}
