import ArgumentParser
import Logging
import TasksAPI

/// `tasks-api migrate`: applies pending migrations and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations (under an advisory lock) and exit."
    )

    func run() async throws {
        let config = try loadConfiguration()
        let logger = bootstrapLogging(config.logging)
        do {
            let report = try await MigrateCommandRunner(config: config, logger: logger).run()
            logger.notice(
                "migrations done",
                metadata: [
                    "schema_version_before": "\(report.versionBefore)",
                    "schema_version_after": "\(report.versionAfter)",
                    "applied": .array(report.applied.map { .stringConvertible($0) }),
                ]
            )
        } catch {
            logger.critical("migration failed", metadata: ["error": "\(error)"])
            throw ExitCode(error.exitStatus.rawValue)
        }
    }
}
