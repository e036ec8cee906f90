import Hummingbird
import Logging
import PostgresNIO
import Prometheus
import ServiceLifecycle

/// Runs the service until SIGTERM/SIGINT: waits for the database, migrates under the advisory lock, serves, and
/// shuts down in order (readiness false, drain, close the pool).
public struct ServeCommandRunner: Sendable {
    /// Why `serve` stopped with an error.
    public enum Failure: Error, CustomStringConvertible {
        case database(DatabaseConnector.Failure)
        case migration(Migrator.Failure)
        case server(String)

        public var exitStatus: ExitStatus {
            switch self {
            case .database: return .databaseUnavailable
            case .migration, .server: return .failure
            }
        }

        public var description: String {
            switch self {
            case .database(let failure): return failure.description
            case .migration(let failure): return failure.description
            case .server(let reason): return reason
            }
        }
    }

    let config: AppConfig
    let logger: Logger
    let registry: PrometheusCollectorRegistry

    public init(config: AppConfig, logger: Logger, registry: PrometheusCollectorRegistry) {
        self.config = config
        self.logger = logger
        self.registry = registry
    }

    public func run() async throws(Failure) {
        let connector = DatabaseConnector(settings: config.database)
        let client = connector.makeClient(logger: logger.with(label: "postgres"))
        let shutdown = ShutdownFlag()
        let store = PostgresTaskStore(client: client, queryTimeout: config.database.queryTimeout, logger: logger)
        let parts = ServiceParts(
            store: store,
            schema: store,
            shutdown: shutdown,
            registry: registry,
            faults: FaultInjector(rate: config.fault5xxRate)
        )
        var app = Application(
            responder: ServiceResponder.make(config: config, parts: parts),
            configuration: .init(address: .hostname(config.http.host, port: config.http.port)),
            logger: logger
        )
        let logger = self.logger
        let config = self.config
        app.beforeServerStarts {
            try await Self.prepareDatabase(connector: connector, client: client, logger: logger)
            logger.notice(
                "listening",
                metadata: [
                    "address": "\(config.http.host):\(config.http.port)",
                    "version": "\(config.build.version)",
                    "release_id": "\(config.build.releaseID)",
                    "environment": "\(config.environment.rawValue)",
                    "fault_5xx_rate": "\(config.fault5xxRate)",
                ]
            )
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(service: client),
                    .init(service: app),
                    .init(
                        service: ShutdownGate(flag: shutdown, drainDelay: config.shutdown.drainDelay, logger: logger)),
                ],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            ).withShutdownLimit(config.shutdown.drainDelay + config.shutdown.gracePeriod)
        )
        do {
            try await group.run()
        } catch let failure as Failure {
            throw failure
        } catch let failure as DatabaseConnector.Failure {
            throw .database(failure)
        } catch let failure as Migrator.Failure {
            throw .migration(failure)
        } catch {
            throw .server("\(error)")
        }
        logger.notice("stopped")
    }

    /// Waits for the database (bounded by `DATABASE_STARTUP_TIMEOUT`), then applies pending migrations.
    static func prepareDatabase(connector: DatabaseConnector, client: PostgresClient, logger: Logger) async throws {
        try await connector.waitUntilReachable(logger: logger)
        let report = try await Migrator(client: client, logger: logger).migrate()
        logger.info(
            "database schema ready",
            metadata: [
                "schema_version": "\(report.versionAfter)",
                "applied": .array(report.applied.map { .stringConvertible($0) }),
            ]
        )
    }
}

extension ServiceGroupConfiguration {
    func withShutdownLimit(_ limit: Duration) -> Self {
        var configuration = self
        configuration.maximumGracefulShutdownDuration = limit
        configuration.maximumCancellationDuration = .seconds(2)
        return configuration
    }
}

extension Logger {
    func with(label: String) -> Logger {
        var logger = self
        logger[metadataKey: "component"] = .string(label)
        return logger
    }
}
