/// The validation rules of a task's fields, shared by create and update.
///
/// Lengths count Unicode code points, as PostgreSQL's `char_length` does, so the database constraints and these
/// rules always agree.
public enum TaskRules {
    public static let titleMaxLength = 200
    public static let descriptionMaxLength = 2000
    public static let fields: Set<String> = ["title", "description", "done", "due_date"]

    /// The title trimmed of surrounding white space, or the problem with it.
    static func title(_ value: JSONValue) -> Result<String, FieldProblem> {
        guard case .string(let raw) = value else {
            return .failure(FieldProblem(field: "title", message: "must be a string, got \(value.typeName)"))
        }
        let title = raw.trimmingWhitespace()
        let length = title.unicodeScalars.count
        if length == 0 {
            return .failure(FieldProblem(field: "title", message: "must not be empty or only white space"))
        }
        if length > titleMaxLength {
            return .failure(
                FieldProblem(field: "title", message: "must be at most \(titleMaxLength) characters, got \(length)")
            )
        }
        if title.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(FieldProblem(field: "title", message: "must not contain control characters"))
        }
        return .success(title)
    }

    /// The description (null clears it), or the problem with it.
    static func description(_ value: JSONValue) -> Result<String?, FieldProblem> {
        switch value {
        case .null:
            return .success(Optional.none)
        case .string(let text):
            let length = text.unicodeScalars.count
            if length > descriptionMaxLength {
                return .failure(
                    FieldProblem(
                        field: "description",
                        message: "must be at most \(descriptionMaxLength) characters, got \(length)"
                    )
                )
            }
            if text.unicodeScalars.contains(where: Self.isForbiddenInText) {
                return .failure(
                    FieldProblem(
                        field: "description", message: "must not contain control characters other than tab and newline")
                )
            }
            return .success(text)
        default:
            return .failure(
                FieldProblem(field: "description", message: "must be a string or null, got \(value.typeName)"))
        }
    }

    static func done(_ value: JSONValue) -> Result<Bool, FieldProblem> {
        guard case .bool(let done) = value else {
            return .failure(FieldProblem(field: "done", message: "must be a boolean, got \(value.typeName)"))
        }
        return .success(done)
    }

    /// The due date (null clears it), or the problem with it.
    static func dueDate(_ value: JSONValue) -> Result<CalendarDate?, FieldProblem> {
        switch value {
        case .null:
            return .success(Optional.none)
        case .string(let text):
            guard let date = CalendarDate(iso8601: text) else {
                return .failure(
                    FieldProblem(
                        field: "due_date", message: "must be a calendar date written YYYY-MM-DD, e.g. 2026-12-31")
                )
            }
            return .success(date)
        default:
            return .failure(FieldProblem(field: "due_date", message: "must be a string or null, got \(value.typeName)"))
        }
    }

    /// Problems for every field that is not part of a task's writable fields.
    static func unknownFields(in object: [String: JSONValue]) -> [FieldProblem] {
        object.keys.sorted().filter { !fields.contains($0) }.map {
            FieldProblem(field: $0, message: "unknown field (allowed: description, done, due_date, title)")
        }
    }

    private static func isForbiddenInText(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control && scalar != "\n" && scalar != "\t" && scalar != "\r"
    }
}

extension String {
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}
