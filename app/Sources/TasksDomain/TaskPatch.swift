/// A validated partial update: only the fields present in the request change.
public struct TaskPatch: Sendable, Equatable {
    public var title: String?
    /// `.some(nil)` clears the description; `nil` leaves it unchanged.
    public var description: String??
    public var done: Bool?
    /// `.some(nil)` clears the due date; `nil` leaves it unchanged.
    public var dueDate: CalendarDate??

    public init(title: String? = nil, description: String?? = nil, done: Bool? = nil, dueDate: CalendarDate?? = nil) {
        self.title = title
        self.description = description
        self.done = done
        self.dueDate = dueDate
    }

    /// Validates a decoded JSON body with the same rules as creation; at least one field is required.
    public static func validate(_ body: JSONValue) throws(ValidationError) -> TaskPatch {
        guard case .object(let object) = body else {
            throw ValidationError([FieldProblem(field: "body", message: "must be a JSON object, got \(body.typeName)")])
        }
        var problems = TaskRules.unknownFields(in: object)
        if object.isEmpty {
            problems.append(
                FieldProblem(field: "body", message: "must contain at least one of description, done, due_date, title")
            )
        }
        var patch = TaskPatch()
        if let value = object["title"] {
            patch.title = checked(TaskRules.title(value), &problems)
        }
        if let value = object["description"] {
            patch.description = checked(TaskRules.description(value), &problems)
        }
        if let value = object["done"] {
            patch.done = checked(TaskRules.done(value), &problems)
        }
        if let value = object["due_date"] {
            patch.dueDate = checked(TaskRules.dueDate(value), &problems)
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        return patch
    }
}
