import TasksDomain

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Persistence of tasks. The HTTP layer depends on this protocol only; PostgreSQL is one implementation.
public protocol TaskStore: Sendable {
    func create(_ task: NewTask) async throws(StoreError) -> TaskRecord
    func find(id: UUID) async throws(StoreError) -> TaskRecord?
    func list(_ page: PageRequest) async throws(StoreError) -> TaskPage
    /// The updated task, or nil when no task has this id.
    func update(id: UUID, with patch: TaskPatch) async throws(StoreError) -> TaskRecord?
    /// Whether a task was deleted.
    func delete(id: UUID) async throws(StoreError) -> Bool
}

/// The database state that `/readyz` reports.
public protocol SchemaVersionSource: Sendable {
    /// The highest migration version recorded in the database (0 when none).
    func schemaVersion() async throws(StoreError) -> Int
}

/// Why the store could not answer. Messages say what an operator should look at; they carry no query data.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database cannot be reached or refused the work for a transient reason: retry later.
    case unavailable(String)
    /// The database did not answer within `DATABASE_QUERY_TIMEOUT`.
    case timedOut(Duration)
    /// A bug or an unexpected database answer: not the client's fault, not transient.
    case failed(String)

    public var description: String {
        switch self {
        case .unavailable(let reason): return "database unavailable: \(reason)"
        case .timedOut(let limit): return "database did not answer within \(limit)"
        case .failed(let reason): return "database error: \(reason)"
        }
    }
}
