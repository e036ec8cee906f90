import Logging
import PostgresNIO

/// Applies pending migrations under a PostgreSQL advisory lock, so instances starting together take turns and the
/// second finds nothing left to do. Each migration runs in its own transaction with its bookkeeping row.
public struct Migrator: Sendable {
    /// What a run did.
    public struct Report: Sendable, Equatable {
        public let versionBefore: Int
        public let versionAfter: Int
        public let applied: [Int]
    }

    /// Why migrations could not be applied.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        case changedAfterApply(version: Int, name: String)
        case migrationFailed(version: Int, name: String, reason: String)
        case database(StoreError)

        public var description: String {
            switch self {
            case .changedAfterApply(let version, let name):
                return "migration \(version) (\(name)) differs from the one applied to this database; "
                    + "released migrations must not be edited: add a new migration instead"
            case .migrationFailed(let version, let name, let reason):
                return "migration \(version) (\(name)) failed and was rolled back: \(reason)"
            case .database(let error):
                return error.description
            }
        }
    }

    /// Key of the session-level advisory lock that serialises migrations (any constant unique to this service).
    static let lockKey: Int64 = 0x7461_736b_735f_6d67

    let client: PostgresClient
    let migrations: [Migration]
    let logger: Logger

    public init(client: PostgresClient, migrations: [Migration] = SchemaMigrations.all, logger: Logger) {
        self.client = client
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// Applies what is missing and returns what was done; safe to run any number of times, concurrently.
    public func migrate() async throws(Failure) -> Report {
        do {
            return try await client.withConnection { connection in
                try await connection.query("SELECT pg_advisory_lock(\(Self.lockKey))", logger: logger)
                do {
                    let report = try await applyPending(on: connection)
                    try await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                    return report
                } catch {
                    _ = try? await connection.query("SELECT pg_advisory_unlock(\(Self.lockKey))", logger: logger)
                    throw error
                }
            }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw .database(StoreError.classify(error))
        }
    }

    private func applyPending(on connection: PostgresConnection) async throws -> Report {
        try await connection.query(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version integer PRIMARY KEY,
                name text NOT NULL,
                checksum text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """,
            logger: logger
        )
        var applied: [Int: String] = [:]
        let rows = try await connection.query("SELECT version, checksum FROM schema_migrations", logger: logger)
        for try await (version, checksum) in rows.decode((Int, String).self) {
            applied[version] = checksum
        }
        let before = applied.keys.max() ?? 0
        var done: [Int] = []
        for migration in migrations {
            if let checksum = applied[migration.version] {
                guard checksum == migration.checksum else {
                    throw Failure.changedAfterApply(version: migration.version, name: migration.name)
                }
                continue
            }
            try await apply(migration, on: connection)
            done.append(migration.version)
        }
        let after = max(before, done.max() ?? 0)
        if before > (migrations.last?.version ?? 0) {
            logger.notice(
                "database schema is newer than this build; running on it (expand/contract)",
                metadata: ["schema_version": "\(before)", "build_schema_version": "\(migrations.last?.version ?? 0)"]
            )
        }
        return Report(versionBefore: before, versionAfter: after, applied: done)
    }

    private func apply(_ migration: Migration, on connection: PostgresConnection) async throws {
        logger.info("applying migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        do {
            try await connection.withTransaction(logger: logger) { transaction in
                for statement in migration.statements {
                    try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await transaction.query(
                    """
                    INSERT INTO schema_migrations (version, name, checksum)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum))
                    """,
                    logger: logger
                )
            }
        } catch {
            let reason = StoreError.classify(error).description
            throw Failure.migrationFailed(version: migration.version, name: migration.name, reason: reason)
        }
    }
}
