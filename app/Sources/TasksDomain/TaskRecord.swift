#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A stored task as the API returns it.
public struct TaskRecord: Sendable, Equatable, Encodable {
    public var id: UUID
    public var title: String
    public var description: String?
    public var done: Bool
    public var dueDate: CalendarDate?
    /// RFC 3339 UTC timestamp with microseconds, as set by the database.
    public var createdAt: String
    public var updatedAt: String
    /// Position in the stable list order (not part of the JSON: clients see it only inside cursors).
    public var position: Int64

    public init(
        id: UUID,
        title: String,
        description: String?,
        done: Bool,
        dueDate: CalendarDate?,
        createdAt: String,
        updatedAt: String,
        position: Int64
    ) {
        self.id = id
        self.title = title
        self.description = description
        self.done = done
        self.dueDate = dueDate
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.position = position
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case title
        case description
        case done
        case dueDate = "due_date"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    /// Absent optional fields are written as `null`, never left out, so clients see one shape.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(description, forKey: .description)
        try container.encode(done, forKey: .done)
        try container.encode(dueDate?.description, forKey: .dueDate)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(updatedAt, forKey: .updatedAt)
    }
}

/// One page of tasks and the cursor of the next page (nil on the last page).
public struct TaskPage: Sendable, Equatable, Encodable {
    public var items: [TaskRecord]
    public var nextCursor: PageCursor?

    public init(items: [TaskRecord], nextCursor: PageCursor?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    private enum CodingKeys: String, CodingKey {
        case items
        case nextCursor = "next_cursor"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor?.token, forKey: .nextCursor)
    }
}
