/// The BAD marker of a release: written when a release failed its health gate or was rolled away
/// from. Its text is kept as evidence; `reason`, `time` and `user` are picked out when the file
/// uses `KEY=VALUE` lines, otherwise the whole text is the reason.
public struct BadMarker: Equatable, Sendable {
    public var reason: String?
    public var time: String?
    public var user: String?
    /// The file as read, trimmed.
    public var text: String

    /// Reads the marker's text (it may be empty: the marker alone still means bad).
    public init(text raw: String) {
        text = raw.trimmingWhitespace()
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            guard let equals = line.firstIndex(of: "=") else { continue }
            let key = line[..<equals].trimmingWhitespace().lowercased()
            fields[key] = line[line.index(after: equals)...].trimmingWhitespace().unquoted()
        }
        if fields.isEmpty {
            reason = text.isEmpty ? nil : text
        } else {
            reason = fields["reason"]
            time = fields["time"] ?? fields["at"] ?? fields["date"] ?? fields["marked_at"]
            user = fields["user"] ?? fields["by"] ?? fields["marked_by"]
        }
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

    /// The text without one pair of surrounding single or double quotes.
    func unquoted() -> String {
        let text = String(self)
        guard text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first else {
            return text
        }
        return String(text.dropFirst().dropLast())
    }
}
