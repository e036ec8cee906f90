import Foundation
import TasksAPI
import TasksDomain

/// A ``TaskStore`` double for HTTP tests without a database; the real store is tested against PostgreSQL in
/// TasksAPIDatabaseTests.
actor InMemoryTaskStore: TaskStore, SchemaVersionSource {
    private var tasks: [TaskRecord] = []
    private var nextPosition: Int64 = 1
    private(set) var writes = 0
    var version = 1

    func create(_ task: NewTask) async throws(StoreError) -> TaskRecord {
        writes += 1
        let now = "2026-01-01T00:00:00.000000Z"
        let record = TaskRecord(
            id: UUID(),
            title: task.title,
            description: task.description,
            done: task.done,
            dueDate: task.dueDate,
            createdAt: now,
            updatedAt: now,
            position: nextPosition
        )
        nextPosition += 1
        tasks.append(record)
        return record
    }

    func find(id: UUID) async throws(StoreError) -> TaskRecord? {
        tasks.first { $0.id == id }
    }

    func list(_ page: PageRequest) async throws(StoreError) -> TaskPage {
        let after = page.after?.position ?? 0
        let rest = tasks.filter { task in
            task.position > after && (page.search.map { $0.matches(task.title) } ?? true)
        }
        let items = Array(rest.prefix(page.limit))
        let next = rest.count > page.limit ? items.last.map { PageCursor(position: $0.position) } : nil
        return TaskPage(items: items, nextCursor: next)
    }

    func update(id: UUID, with patch: TaskPatch) async throws(StoreError) -> TaskRecord? {
        guard let index = tasks.firstIndex(where: { $0.id == id }) else { return nil }
        writes += 1
        if let title = patch.title { tasks[index].title = title }
        if let description = patch.description { tasks[index].description = description }
        if let done = patch.done { tasks[index].done = done }
        if let dueDate = patch.dueDate { tasks[index].dueDate = dueDate }
        return tasks[index]
    }

    func delete(id: UUID) async throws(StoreError) -> Bool {
        guard let index = tasks.firstIndex(where: { $0.id == id }) else { return false }
        writes += 1
        tasks.remove(at: index)
        return true
    }

    func schemaVersion() async throws(StoreError) -> Int {
        version
    }

    func setVersion(_ value: Int) {
        version = value
    }

    var count: Int { tasks.count }
}

/// A store whose database is down: every call fails as PostgreSQL being unreachable would.
struct UnavailableStore: TaskStore, SchemaVersionSource {
    let error = StoreError.unavailable("cannot connect")

    func create(_ task: NewTask) async throws(StoreError) -> TaskRecord { throw error }
    func find(id: UUID) async throws(StoreError) -> TaskRecord? { throw error }
    func list(_ page: PageRequest) async throws(StoreError) -> TaskPage { throw error }
    func update(id: UUID, with patch: TaskPatch) async throws(StoreError) -> TaskRecord? { throw error }
    func delete(id: UUID) async throws(StoreError) -> Bool { throw error }
    func schemaVersion() async throws(StoreError) -> Int { throw error }
}
