/// The BAD marker of a release: written when a release failed its health gate or was rolled away
/// from. Any entry named BAD marks the release (deploy/contract/README.md); its `reason`, `time`
/// and `user` lines are read as the scripts write them, and its text is kept as evidence.
public struct BadMarker: Equatable, Sendable {
    public var reason: String?
    public var time: String?
    public var user: String?
    /// The file as read, trimmed (empty for an empty file or a marker that is not a file).
    public var text: String

    /// Reads the marker's bytes (they may be empty: the marker alone still means bad).
    public init(bytes: [UInt8]) {
        text = String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
        let fields = KeyValueFile.parse(bytes)
        reason = fields["reason"]
        time = fields["time"]
        user = fields["user"]
    }

    /// Reads the marker from its text.
    public init(text: String) {
        self.init(bytes: Array(text.utf8))
    }

    public var json: JSONValue {
        .object([
            ("reason", .optional(reason)), ("time", .optional(time)), ("user", .optional(user)),
            ("text", .string(text)),
        ])
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces, tabs, carriage returns and newlines.
    public func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

extension StringProtocol {
    /// The text without one pair of surrounding single or double quotes.
    func unquoted() -> String {
        let text = String(self)
        guard text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first else {
            return text
        }
        return String(text.dropFirst().dropLast())
    }
}
