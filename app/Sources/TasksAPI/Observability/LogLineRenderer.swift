import Logging

/// Renders one log event as text; pure, so the exact output is tested.
enum LogLineRenderer {
    private static let reserved: Set<String> = ["time", "level", "message", "logger"]

    static func json(
        time: String,
        level: Logger.Level,
        message: String,
        label: String,
        metadata: Logger.Metadata
    ) -> String {
        var line = "{\"time\":\(quote(time)),\"level\":\(quote(level.rawValue)),\"message\":\(quote(message))"
        line += ",\"logger\":\(quote(label))"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where !reserved.contains(key) {
            line += ",\(quote(key)):\(jsonValue(value))"
        }
        return line + "}"
    }

    static func text(time: String, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        var line = "\(time) \(level.rawValue.uppercased()) \(message)"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " \(key)=\(value)"
        }
        return line
    }

    private static func jsonValue(_ value: Logger.Metadata.Value) -> String {
        switch value {
        case .string(let text):
            return quote(text)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: return String(number)
            case let number as Int64: return String(number)
            case let number as UInt: return String(number)
            case let number as Double where number.isFinite: return String(number)
            case let flag as Bool: return flag ? "true" : "false"
            default: return quote(convertible.description)
            }
        case .array(let values):
            return "[" + values.map(jsonValue).joined(separator: ",") + "]"
        case .dictionary(let values):
            let fields = values.sorted(by: { $0.key < $1.key }).map { "\(quote($0.key)):\(jsonValue($0.value))" }
            return "{" + fields.joined(separator: ",") + "}"
        }
    }

    /// A JSON string literal; control characters are escaped so one event is always one line.
    static func quote(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
