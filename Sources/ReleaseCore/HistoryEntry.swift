/// One line of deploy/history.jsonl (deploy, rollback, failure). The line is kept in full; the
/// common fields are picked out under the one name each has in
/// deploy/contract/schemas/history-line.schema.json (the names scripts/lib/history.sh writes).
public struct HistoryEntry: Equatable, Sendable {
    /// 1-based line number in history.jsonl.
    public var line: Int
    public var event: String?
    public var releaseID: String?
    public var time: String?
    public var user: String?
    public var raw: JSONValue

    /// Reads one parsed line; nil when it is not a JSON object.
    public init?(line: Int, json: JSONValue) {
        guard case .object = json else { return nil }
        self.line = line
        raw = json
        event = json["event"]?.stringValue
        releaseID = json["release_id"]?.stringValue
        time = json["time"]?.stringValue
        user = json["user"]?.stringValue
    }

    public var json: JSONValue {
        .object([
            ("line", .integer(Int64(line))), ("event", .optional(event)), ("release_id", .optional(releaseID)),
            ("time", .optional(time)), ("user", .optional(user)), ("entry", raw),
        ])
    }
}

/// The audit log: entries in file order and the lines that could not be read.
public struct HistoryLog: Equatable, Sendable {
    /// How many of the latest lines views read (the history is append-only and grows forever).
    public static let recentCount = 20

    public var entries: [HistoryEntry]
    /// `line N: why` for each unreadable line (a torn last line after a crash, a hand edit).
    public var problems: [String]

    public init(entries: [HistoryEntry] = [], problems: [String] = []) {
        self.entries = entries
        self.problems = problems
    }

    /// Parses JSON Lines text; blank lines are ignored, bad lines reported and skipped. With
    /// `keepingLast`, only the last that many non-blank lines are parsed (views that show the latest
    /// events need not parse years of history); line numbers stay those of the file.
    public static func parse(_ bytes: [UInt8], keepingLast: Int? = nil) -> HistoryLog {
        var lines: [(number: Int, content: ArraySlice<UInt8>)] = []
        var lineNumber = 0
        for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNumber += 1
            let content = line.last == 0x0D ? line.dropLast() : line
            guard content.contains(where: { $0 != 0x20 && $0 != 0x09 }) else { continue }
            lines.append((lineNumber, content))
        }
        if let keepingLast { lines = Array(lines.suffix(max(0, keepingLast))) }
        var log = HistoryLog()
        for (number, content) in lines {
            do {
                let value = try JSONParser.parse(Array(content))
                if let entry = HistoryEntry(line: number, json: value) {
                    log.entries.append(entry)
                } else {
                    log.problems.append("line \(number): not a JSON object")
                }
            } catch {
                log.problems.append("line \(number): \(error)")
            }
        }
        return log
    }
}
