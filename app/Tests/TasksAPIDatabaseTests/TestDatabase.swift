import Foundation
import Logging
import PostgresNIO
import Testing

@testable import TasksAPI

/// The PostgreSQL these tests run against, started by scripts/tests/integration/20-app-db.sh. Each test gets its
/// own schema (through `search_path`), so tests run in parallel on one database and leave nothing behind.
enum TestDatabase {
    struct Missing: Error, CustomStringConvertible {
        let variables: [String]
        var description: String {
            "database tests need \(variables.joined(separator: ", ")); they run against the PostgreSQL that "
                + "scripts/tests/integration/20-app-db.sh starts (scripts/test.sh integration)"
        }
    }

    static var logger: Logger {
        var logger = Logger(label: "db-test")
        logger.logLevel = .critical
        return logger
    }

    /// Connection settings from `TEST_DATABASE_*`; throws (the test fails loudly) when any is missing.
    static func settings() throws -> DatabaseSettings {
        let environment = ProcessInfo.processInfo.environment
        let names = ["HOST", "PORT", "NAME", "USER", "PASSWORD"].map { "TEST_DATABASE_\($0)" }
        let missing = names.filter { (environment[$0] ?? "").isEmpty }
        guard missing.isEmpty else { throw Missing(variables: missing) }
        return DatabaseSettings(
            host: environment["TEST_DATABASE_HOST"]!,
            port: Int(environment["TEST_DATABASE_PORT"]!) ?? 5432,
            name: environment["TEST_DATABASE_NAME"]!,
            user: environment["TEST_DATABASE_USER"]!,
            password: environment["TEST_DATABASE_PASSWORD"]!,
            tls: .disable,
            poolSize: 4,
            connectTimeout: .seconds(5),
            queryTimeout: .seconds(10)
        )
    }

    /// A pool whose connections see only `schema` (plus pg_catalog).
    static func client(_ settings: DatabaseSettings, schema: String?) -> PostgresClient {
        var configuration = PostgresClient.Configuration(
            host: settings.host,
            port: settings.port,
            username: settings.user,
            password: settings.password,
            database: settings.name,
            tls: .disable
        )
        configuration.options.maximumConnections = settings.poolSize
        if let schema {
            configuration.options.additionalStartupParameters = [("search_path", schema)]
        }
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Runs `body` with a running pool bound to a new empty schema, then drops the schema.
    static func withSchema<Result: Sendable>(
        _ body:
            @Sendable (_ client: PostgresClient, _ schema: String, _ settings: DatabaseSettings) async throws -> Result
    ) async throws -> Result {
        let settings = try settings()
        let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let admin = client(settings, schema: nil)
        let scoped = client(settings, schema: schema)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await admin.run() }
            group.addTask { await scoped.run() }
            defer { group.cancelAll() }
            try await admin.query("CREATE SCHEMA \(unescaped: schema)", logger: logger)
            do {
                let result = try await body(scoped, schema, settings)
                try await admin.query("DROP SCHEMA \(unescaped: schema) CASCADE", logger: logger)
                return result
            } catch {
                _ = try? await admin.query("DROP SCHEMA \(unescaped: schema) CASCADE", logger: logger)
                throw error
            }
        }
    }

    /// A migrated schema and a store on it.
    static func withStore<Result: Sendable>(
        _ body: @Sendable (_ store: PostgresTaskStore, _ client: PostgresClient) async throws -> Result
    ) async throws -> Result {
        try await withSchema { client, _, settings in
            _ = try await Migrator(client: client, logger: logger).migrate()
            let store = PostgresTaskStore(client: client, queryTimeout: settings.queryTimeout, logger: logger)
            return try await body(store, client)
        }
    }

    static func count(_ client: PostgresClient, _ table: String = "tasks") async throws -> Int {
        let rows = try await client.query("SELECT count(*) FROM \(unescaped: table)", logger: logger)
        for try await count in rows.decode(Int.self) { return count }
        return 0
    }
}
