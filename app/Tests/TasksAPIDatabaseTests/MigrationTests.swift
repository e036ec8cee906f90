import Logging
import PostgresNIO
import Testing

@testable import TasksAPI

@Suite("Migrations on PostgreSQL")
struct MigrationTests {
    @Test func migratingAnEmptyDatabaseAppliesEverythingOnce() async throws {
        try await TestDatabase.withSchema { client, _, _ in
            let first = try await Migrator(client: client, logger: TestDatabase.logger).migrate()
            #expect(first.versionBefore == 0)
            #expect(first.applied == SchemaMigrations.all.map(\.version))
            #expect(first.versionAfter == SchemaMigrations.latestVersion)
            let second = try await Migrator(client: client, logger: TestDatabase.logger).migrate()
            #expect(second.applied.isEmpty)
            #expect(second.versionBefore == SchemaMigrations.latestVersion)
            #expect(try await TestDatabase.count(client, "schema_migrations") == SchemaMigrations.all.count)
        }
    }

    @Test func instancesMigratingAtOnceApplyEachMigrationExactlyOnce() async throws {
        try await TestDatabase.withSchema { client, schema, settings in
            let clients = (0..<5).map { _ in TestDatabase.client(settings, schema: schema) }
            let reports = try await withThrowingTaskGroup(of: Migrator.Report?.self) { group in
                for other in clients {
                    group.addTask {
                        await other.run()
                        return nil
                    }
                }
                var migrations = [Task<Migrator.Report, any Error>]()
                for other in clients {
                    migrations.append(Task { try await Migrator(client: other, logger: TestDatabase.logger).migrate() })
                }
                var reports: [Migrator.Report] = []
                for migration in migrations { reports.append(try await migration.value) }
                group.cancelAll()
                return reports
            }
            #expect(reports.filter { !$0.applied.isEmpty }.count == 1)
            #expect(reports.allSatisfy { $0.versionAfter == SchemaMigrations.latestVersion })
            #expect(try await TestDatabase.count(client, "schema_migrations") == SchemaMigrations.all.count)
        }
    }

    @Test func aMigrationEditedAfterItWasAppliedIsRefused() async throws {
        try await TestDatabase.withSchema { client, _, _ in
            let original = [Migration(version: 1, name: "one", statements: ["CREATE TABLE one (id int)"])]
            let edited = [Migration(version: 1, name: "one", statements: ["CREATE TABLE one (id bigint)"])]
            _ = try await Migrator(client: client, migrations: original, logger: TestDatabase.logger).migrate()
            do {
                _ = try await Migrator(client: client, migrations: edited, logger: TestDatabase.logger).migrate()
                Issue.record("an edited migration was accepted")
            } catch {
                guard case .changedAfterApply(let version, _)? = error as? Migrator.Failure else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(version == 1)
            }
        }
    }

    @Test func aFailingMigrationIsRolledBackWhole() async throws {
        try await TestDatabase.withSchema { client, _, _ in
            let migrations = [
                Migration(version: 1, name: "one", statements: ["CREATE TABLE one (id int)"]),
                Migration(version: 2, name: "two", statements: ["CREATE TABLE two (id int)", "THIS IS NOT SQL"]),
            ]
            do {
                _ = try await Migrator(client: client, migrations: migrations, logger: TestDatabase.logger).migrate()
                Issue.record("invalid SQL was applied")
            } catch {
                guard case .migrationFailed(let version, _, _)? = error as? Migrator.Failure else {
                    Issue.record("unexpected error \(error)")
                    return
                }
                #expect(version == 2)
            }
            let rows = try await client.query("SELECT to_regclass('two') IS NULL", logger: TestDatabase.logger)
            for try await absent in rows.decode(Bool.self) { #expect(absent, "half of migration 2 stayed") }
            #expect(try await TestDatabase.count(client, "schema_migrations") == 1)
        }
    }

    @Test func anOlderBuildRunsOnANewerSchema() async throws {
        try await TestDatabase.withSchema { client, _, _ in
            let newer =
                SchemaMigrations.all + [
                    Migration(version: 1000, name: "expand", statements: ["ALTER TABLE tasks ADD COLUMN priority int"])
                ]
            _ = try await Migrator(client: client, migrations: newer, logger: TestDatabase.logger).migrate()
            let report = try await Migrator(client: client, logger: TestDatabase.logger).migrate()
            #expect(report.applied.isEmpty)
            #expect(report.versionBefore == 1000)
            let store = PostgresTaskStore(client: client, queryTimeout: .seconds(5), logger: TestDatabase.logger)
            #expect(try await store.schemaVersion() == 1000)
            #expect(try await store.create(.init(title: "still works")).title == "still works")
        }
    }
}
