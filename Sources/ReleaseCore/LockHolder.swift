/// Who holds deploy/.lock/ (the mkdir lock of the deploy scripts), from the files inside it.
///
/// The files are read as `KEY=VALUE` lines, or as one value per file named after its key
/// (`owner`, `pid`, `started_at`); both shapes are accepted so the reader does not depend on
/// the exact layout the script chose.
public struct LockHolder: Equatable, Sendable {
    public var owner: String?
    public var pid: Int64?
    public var startedAt: String?
    /// Every key and value found, for display.
    public var fields: [String: String]

    /// Reads the lock from its files' names and contents.
    public init(files: [String: String]) {
        var fields: [String: String] = [:]
        for name in files.keys.sorted() {
            let content = files[name] ?? ""
            let lines = content.split(separator: "\n").map { $0.trimmingWhitespace() }.filter { !$0.isEmpty }
            let pairs = lines.compactMap { line -> (String, String)? in
                guard let equals = line.firstIndex(of: "=") else { return nil }
                return (
                    line[..<equals].trimmingWhitespace().lowercased(),
                    line[line.index(after: equals)...].trimmingWhitespace().unquoted()
                )
            }
            if pairs.isEmpty, let only = lines.first {
                fields[name.lowercased()] = only
            }
            for (key, value) in pairs { fields[key] = value }
        }
        self.fields = fields
        owner = fields["owner"] ?? fields["user"] ?? fields["holder"]
        pid = (fields["pid"]).flatMap { Int64($0) }
        startedAt =
            fields["started_at"] ?? fields["start_time"] ?? fields["started"] ?? fields["since"]
            ?? fields["time"]
    }

    public var json: JSONValue {
        .object([
            ("owner", .optional(owner)), ("pid", .optional(pid)), ("started_at", .optional(startedAt)),
            ("fields", .object(fields.keys.sorted().map { ($0, .string(fields[$0]!)) })),
        ])
    }

    /// One line for text output and error messages.
    public var summary: String {
        let who = owner ?? "unknown owner"
        let process = pid.map { " (pid \($0))" } ?? ""
        let since = startedAt.map { " since \($0)" } ?? ""
        return "\(who)\(process)\(since)"
    }
}
