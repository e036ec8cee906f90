import Foundation
import PostgresNIO
import TasksDomain
import Testing

@testable import TasksAPI

@Suite("Task store on PostgreSQL")
struct PostgresTaskStoreTests {
    @Test func createFindUpdateDelete() async throws {
        try await TestDatabase.withStore { store, _ in
            let due = CalendarDate(iso8601: "2026-12-31")
            let created = try await store.create(
                NewTask(title: "write", description: "report", done: false, dueDate: due))
            #expect(created.title == "write")
            #expect(created.dueDate == due)
            #expect(created.createdAt == created.updatedAt)
            #expect(created.createdAt.hasSuffix("Z"))
            #expect(try await store.find(id: created.id) == created)

            let cleared = try await store.update(id: created.id, with: TaskPatch(description: .some(nil), done: true))
            #expect(cleared?.description == nil)
            #expect(cleared?.done == true)
            #expect(cleared?.title == "write")
            #expect(cleared?.dueDate == due)

            let renamed = try await store.update(id: created.id, with: TaskPatch(title: "rewrite", dueDate: .some(nil)))
            #expect(renamed?.title == "rewrite")
            #expect(renamed?.dueDate == nil)
            #expect(renamed?.done == true)

            #expect(try await store.delete(id: created.id))
            #expect(try await store.delete(id: created.id) == false)
            #expect(try await store.find(id: created.id) == nil)
            #expect(try await store.update(id: created.id, with: TaskPatch(done: false)) == nil)
        }
    }

    @Test func paginationAcrossPagesWithInsertsInBetween() async throws {
        try await TestDatabase.withStore { store, _ in
            for index in 1...5 { _ = try await store.create(NewTask(title: "t\(index)")) }
            var seen: [String] = []
            var page = try await store.list(PageRequest(limit: 2))
            seen += page.items.map(\.title)
            for index in 6...8 { _ = try await store.create(NewTask(title: "t\(index)")) }
            while let next = page.nextCursor {
                page = try await store.list(PageRequest(limit: 2, after: next))
                seen += page.items.map(\.title)
                if seen.count == 4 { _ = try await store.create(NewTask(title: "t9")) }
            }
            #expect(seen == (1...9).map { "t\($0)" })
        }
    }

    @Test func pagesEndWithANullCursorAndDeletedRowsDoNotBreakIt() async throws {
        try await TestDatabase.withStore { store, _ in
            let tasks = try await (1...4).asyncMap { try await store.create(NewTask(title: "p\($0)")) }
            let first = try await store.list(PageRequest(limit: 2))
            #expect(first.items.map(\.title) == ["p1", "p2"])
            _ = try await store.delete(id: tasks[1].id)
            _ = try await store.delete(id: tasks[2].id)
            let second = try await store.list(PageRequest(limit: 2, after: first.nextCursor))
            #expect(second.items.map(\.title) == ["p4"])
            #expect(second.nextCursor == nil)
            #expect(try await store.list(PageRequest(limit: 100)).nextCursor == nil)
        }
    }

    @Test func titleSearchMatchesIgnoringCaseAndTakesWildcardsLiterally() async throws {
        try await TestDatabase.withStore { store, _ in
            for title in ["Deploy STAGING", "deploy prod", "100% done", "1000 done", "other"] {
                _ = try await store.create(NewTask(title: title))
            }
            let deploy = try await store.list(PageRequest(limit: 10, search: try TitleSearch(parsing: "DePloy")))
            #expect(deploy.items.map(\.title) == ["Deploy STAGING", "deploy prod"])
            let percent = try await store.list(PageRequest(limit: 10, search: try TitleSearch(parsing: "0%")))
            #expect(percent.items.map(\.title) == ["100% done"])
            let first = try await store.list(PageRequest(limit: 1, search: try TitleSearch(parsing: "done")))
            let second = try await store.list(
                PageRequest(limit: 1, after: first.nextCursor, search: try TitleSearch(parsing: "done")))
            #expect((first.items + second.items).map(\.title) == ["100% done", "1000 done"])
            #expect(second.nextCursor == nil)
        }
    }

    @Test func sqlLookingAndUnicodeTextIsStoredVerbatim() async throws {
        try await TestDatabase.withStore { store, client in
            let titles = [
                "'); DROP TABLE tasks; --", "1' OR '1'='1", "\\x00 \\\\ $1 $$ ;", "Ünïcödé 日本語 עברית العربية",
                "e\u{301}\u{302}\u{303}", "👨‍👩‍👧‍👦 🏳️‍🌈", String(repeating: "😀", count: 200),
            ]
            for title in titles {
                let created = try await store.create(NewTask(title: title, description: title))
                #expect(try await store.find(id: created.id)?.title == title)
                #expect(created.description == title)
            }
            #expect(try await TestDatabase.count(client) == titles.count)
        }
    }

    @Test func databaseConstraintsAgreeWithValidation() async throws {
        try await TestDatabase.withStore { _, client in
            let tooLong = String(repeating: "a", count: TaskRules.titleMaxLength + 1)
            await #expect(throws: (any Error).self) {
                try await client.query("INSERT INTO tasks (title) VALUES (\(tooLong))", logger: TestDatabase.logger)
            }
            await #expect(throws: (any Error).self) {
                try await client.query("INSERT INTO tasks (title) VALUES ('')", logger: TestDatabase.logger)
            }
            let count = try await TestDatabase.count(client)
            #expect(count == 0)
        }
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var values: [T] = []
        for element in self { values.append(try await transform(element)) }
        return values
    }
}
