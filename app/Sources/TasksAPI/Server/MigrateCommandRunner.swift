import Logging
import PostgresNIO
import ServiceLifecycle

/// Runs `migrate`: waits for the database, applies pending migrations, prints what it did, exits.
public struct MigrateCommandRunner: Sendable {
    let config: AppConfig
    let logger: Logger

    public init(config: AppConfig, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    public func run() async throws(ServeCommandRunner.Failure) -> Migrator.Report {
        let connector = DatabaseConnector(settings: config.database)
        do {
            try await connector.waitUntilReachable(logger: logger)
        } catch {
            throw .database(error)
        }
        let client = connector.makeClient(logger: logger.with(label: "postgres"))
        let logger = self.logger
        do {
            return try await withThrowingTaskGroup(of: Migrator.Report?.self) { group in
                group.addTask {
                    await client.run()
                    return nil
                }
                defer { group.cancelAll() }
                let report = try await Migrator(client: client, logger: logger).migrate()
                return report
            }
        } catch let failure as Migrator.Failure {
            throw .migration(failure)
        } catch {
            throw .server("\(error)")
        }
    }
}
