import ArgumentParser
import Logging
import Metrics
import Prometheus
import TasksAPI

/// `tasks-api serve` (the default): migrates, then serves HTTP until SIGTERM/SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Wait for the database, apply migrations, then serve HTTP until SIGTERM or SIGINT."
    )

    func run() async throws {
        let config = try loadConfiguration()
        let logger = bootstrapLogging(config.logging)
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        logger.info("starting", metadata: ["database": "\(config.database)", "log_format": "\(config.logging.format)"])
        do {
            try await ServeCommandRunner(config: config, logger: logger, registry: registry).run()
        } catch {
            logger.critical("stopped with an error", metadata: ["error": "\(error)"])
            throw ExitCode(error.exitStatus.rawValue)
        }
    }
}
