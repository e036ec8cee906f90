import Logging
import PostgresNIO
import TasksDomain

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// ``TaskStore`` on PostgreSQL through the shared connection pool; every call is bounded by `queryTimeout`.
public struct PostgresTaskStore: TaskStore, SchemaVersionSource {
    let client: PostgresClient
    let queryTimeout: Duration
    let logger: Logger

    public init(client: PostgresClient, queryTimeout: Duration, logger: Logger) {
        self.client = client
        self.queryTimeout = queryTimeout
        self.logger = logger
    }

    public func create(_ task: NewTask) async throws(StoreError) -> TaskRecord {
        let query: PostgresQuery = """
            INSERT INTO tasks (title, description, done, due_date)
            VALUES (\(task.title), \(task.description), \(task.done), \(task.dueDate?.description)::date)
            RETURNING \(unescaped: TaskRow.columns)
            """
        guard let record = try await one(query) else { throw StoreError.failed("INSERT returned no row") }
        return record
    }

    public func find(id: UUID) async throws(StoreError) -> TaskRecord? {
        let client = self.client
        let logger = self.logger
        return try await withDeadline(queryTimeout) {
            for try await record in try await client.execute(FindTaskStatement(id: id), logger: logger) {
                return record
            }
            return nil
        }
    }

    public func list(_ page: PageRequest) async throws(StoreError) -> TaskPage {
        let after = page.after?.position ?? 0
        let search = page.search?.text
        // strpos, not LIKE: the client's text is matched as it is (no wildcard to escape).
        let query: PostgresQuery = """
            SELECT \(unescaped: TaskRow.columns) FROM tasks
            WHERE seq > \(after) AND (\(search)::text IS NULL OR strpos(lower(title), lower(\(search)::text)) > 0)
            ORDER BY seq LIMIT \(page.limit + 1)
            """
        var items = try await all(query)
        var next: PageCursor?
        if items.count > page.limit {
            items.removeLast()
            next = items.last.map { PageCursor(position: $0.position) }
        }
        return TaskPage(items: items, nextCursor: next)
    }

    public func update(id: UUID, with patch: TaskPatch) async throws(StoreError) -> TaskRecord? {
        let description: String? = patch.description ?? nil
        let dueDate: String? = (patch.dueDate ?? nil)?.description
        let query: PostgresQuery = """
            UPDATE tasks SET
                title = CASE WHEN \(patch.title != nil) THEN \(patch.title)::text ELSE title END,
                description = CASE WHEN \(patch.description != nil) THEN \(description)::text ELSE description END,
                done = CASE WHEN \(patch.done != nil) THEN \(patch.done)::boolean ELSE done END,
                due_date = CASE WHEN \(patch.dueDate != nil) THEN \(dueDate)::date ELSE due_date END,
                updated_at = now()
            WHERE id = \(id)
            RETURNING \(unescaped: TaskRow.columns)
            """
        return try await one(query)
    }

    public func delete(id: UUID) async throws(StoreError) -> Bool {
        let query: PostgresQuery = "DELETE FROM tasks WHERE id = \(id) RETURNING id"
        let client = self.client
        let logger = self.logger
        return try await withDeadline(queryTimeout) {
            let rows = try await client.query(query, logger: logger)
            var deleted = false
            for try await _ in rows { deleted = true }
            return deleted
        }
    }

    public func schemaVersion() async throws(StoreError) -> Int {
        let client = self.client
        let logger = self.logger
        return try await withDeadline(queryTimeout) {
            let rows = try await client.query("SELECT coalesce(max(version), 0) FROM schema_migrations", logger: logger)
            for try await version in rows.decode(Int.self) { return version }
            return 0
        }
    }

    private func one(_ query: PostgresQuery) async throws(StoreError) -> TaskRecord? {
        try await all(query).first
    }

    private func all(_ query: PostgresQuery) async throws(StoreError) -> [TaskRecord] {
        let client = self.client
        let logger = self.logger
        return try await withDeadline(queryTimeout) {
            let rows = try await client.query(query, logger: logger)
            var records: [TaskRecord] = []
            for try await row in rows {
                records.append(try TaskRow.decode(row))
            }
            return records
        }
    }
}
