#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A stored task as the API returns it (its JSON form is written by the HTTP layer).
public struct TaskRecord: Sendable, Equatable {
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
}

/// One page of tasks and the cursor of the next page (nil on the last page).
public struct TaskPage: Sendable, Equatable {
    public var items: [TaskRecord]
    public var nextCursor: PageCursor?

    public init(items: [TaskRecord], nextCursor: PageCursor?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}
