import Logging

/// Renders one log event as text; pure, so the exact output is tested.
enum LogLineRenderer {
    private static let reserved: Set<String> = ["time", "level", "message", "logger"]

    /// One JSON object: `time`, `level`, `message`, `logger`, then the metadata keys in alphabetical order.
    static func json(
        time: String,
        level: Logger.Level,
        message: String,
        label: String,
        metadata: Logger.Metadata
    ) -> String {
        json(time: time, level: level, message: message, label: label, fields: fields(metadata))
    }

    /// The same line from metadata already merged and sorted by ``fields(_:)``.
    static func json(
        time: String,
        level: Logger.Level,
        message: String,
        label: String,
        fields: [(key: String, value: Logger.Metadata.Value)]
    ) -> String {
        var json = JSONOutput(capacity: 320)
        json.beginObject()
        json.key("time")
        json.string(time)
        json.key("level")
        json.string(level.rawValue)
        json.key("message")
        json.string(message)
        json.key("logger")
        json.string(label)
        for (key, value) in fields where !reserved.contains(key) {
            json.key(escaping: key)
            write(value, to: &json)
        }
        json.endObject()
        return json.text
    }

    static func text(time: String, level: Logger.Level, message: String, metadata: Logger.Metadata) -> String {
        text(time: time, level: level, message: message, fields: fields(metadata))
    }

    static func text(
        time: String,
        level: Logger.Level,
        message: String,
        fields: [(key: String, value: Logger.Metadata.Value)]
    ) -> String {
        var line = "\(time) \(level.rawValue.uppercased()) \(message)"
        for (key, value) in fields {
            line += " \(key)=\(value)"
        }
        return line
    }

    /// The metadata of several layers as one list sorted by key; a key set in a later layer wins. Cheaper than
    /// merging dictionaries for the handful of keys a line carries.
    static func fields(_ layers: Logger.Metadata?...) -> [(key: String, value: Logger.Metadata.Value)] {
        var all: [(key: String, value: Logger.Metadata.Value)] = []
        all.reserveCapacity(layers.reduce(0) { $0 + ($1?.count ?? 0) })
        for layer in layers {
            guard let layer else { continue }
            for (key, value) in layer { all.append((key, value)) }
        }
        guard all.count > 1 else { return all }
        // Stable: among equal keys the later layer stays last, and the last of each run is kept.
        let sorted = all.enumerated().sorted { ($0.element.key, $0.offset) < ($1.element.key, $1.offset) }
        var fields: [(key: String, value: Logger.Metadata.Value)] = []
        fields.reserveCapacity(sorted.count)
        for (index, entry) in sorted.enumerated() {
            let next = index + 1 < sorted.count ? sorted[index + 1].element.key : nil
            if next != entry.element.key { fields.append(entry.element) }
        }
        return fields
    }

    private static func write(_ value: Logger.Metadata.Value, to json: inout JSONOutput) {
        switch value {
        case .string(let text):
            json.string(text)
        case .stringConvertible(let convertible):
            switch convertible {
            case let number as Int: json.int(number)
            case let number as Int64: json.int(number)
            case let number as UInt: json.int(number)
            case let number as Double where number.isFinite: json.double(number)
            case let flag as Bool: json.bool(flag)
            default: json.string(convertible.description)
            }
        case .array(let values):
            json.beginArray()
            for element in values { write(element, to: &json) }
            json.endArray()
        case .dictionary(let values):
            json.beginObject()
            for (key, element) in values.sorted(by: { $0.key < $1.key }) {
                json.key(escaping: key)
                write(element, to: &json)
            }
            json.endObject()
        }
    }
}
