/// A validated request to create a task.
public struct NewTask: Sendable, Equatable {
    public var title: String
    public var description: String?
    public var done: Bool
    public var dueDate: CalendarDate?

    public init(title: String, description: String? = nil, done: Bool = false, dueDate: CalendarDate? = nil) {
        self.title = title
        self.description = description
        self.done = done
        self.dueDate = dueDate
    }

    /// Validates a decoded JSON body; `title` is required, the other fields are optional.
    public static func validate(_ body: JSONValue) throws(ValidationError) -> NewTask {
        guard case .object(let object) = body else {
            throw ValidationError([FieldProblem(field: "body", message: "must be a JSON object, got \(body.typeName)")])
        }
        var problems = TaskRules.unknownFields(in: object)
        var task = NewTask(title: "")
        if let value = object["title"] {
            task.title = checked(TaskRules.title(value), &problems) ?? ""
        } else {
            problems.append(FieldProblem(field: "title", message: "is required"))
        }
        if let value = object["description"] {
            task.description = checked(TaskRules.description(value), &problems) ?? nil
        }
        if let value = object["done"] {
            task.done = checked(TaskRules.done(value), &problems) ?? false
        }
        if let value = object["due_date"] {
            task.dueDate = checked(TaskRules.dueDate(value), &problems) ?? nil
        }
        guard problems.isEmpty else { throw ValidationError(problems) }
        return task
    }
}

/// The valid value, or nil after recording the problem.
func checked<Value>(_ result: Result<Value, FieldProblem>, _ problems: inout [FieldProblem]) -> Value? {
    switch result {
    case .success(let value):
        return value
    case .failure(let problem):
        problems.append(problem)
        return nil
    }
}
