import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// Turns ``DatabaseSettings`` into a connection pool, and waits at start-up until the database accepts logins.
public struct DatabaseConnector: Sendable {
    /// Why the database could not be used at start-up.
    public enum Failure: Error, Sendable, CustomStringConvertible {
        /// The server answered but refuses us for a reason that waiting will not fix.
        case refused(String)
        /// No successful login before `DATABASE_STARTUP_TIMEOUT`.
        case unreachable(target: String, waited: Duration, lastError: String)
        case tls(String)

        public var description: String {
            switch self {
            case .refused(let reason):
                return "the database refused the connection: \(reason)"
            case .unreachable(let target, let waited, let lastError):
                return "cannot reach the database at \(target) after \(waited) (last error: \(lastError)); "
                    + "check DATABASE_HOST/DATABASE_PORT and that PostgreSQL is running"
            case .tls(let reason):
                return "cannot set up TLS towards the database: \(reason)"
            }
        }
    }

    /// SQLSTATEs that waiting will not fix: wrong password, unknown role or database, no permission.
    private static let fatalStates: Set<String> = ["28P01", "28000", "3D000", "42501"]

    public let settings: DatabaseSettings

    public init(settings: DatabaseSettings) {
        self.settings = settings
    }

    /// A pool configured from the settings; run it (it is a `Service`) before querying.
    public func makeClient(logger: Logger) -> PostgresClient {
        var configuration = PostgresClient.Configuration(
            host: settings.host,
            port: settings.port,
            username: settings.user,
            password: settings.password,
            database: settings.name,
            tls: clientTLS
        )
        configuration.options.maximumConnections = settings.poolSize
        configuration.options.connectTimeout = settings.connectTimeout
        configuration.options.additionalStartupParameters = startupParameters
        return PostgresClient(configuration: configuration, backgroundLogger: logger)
    }

    /// Tries to log in until it works or `startupTimeout` passes; fails at once on errors waiting cannot fix.
    public func waitUntilReachable(logger: Logger) async throws(Failure) {
        let clock = ContinuousClock()
        let deadline = clock.now + settings.startupTimeout
        var delay = Duration.milliseconds(200)
        var lastError = "none"
        var attempt = 0
        while true {
            attempt += 1
            do {
                try await probeOnce(logger: logger)
                if attempt > 1 { logger.info("database reachable", metadata: ["attempts": "\(attempt)"]) }
                return
            } catch let failure as Failure {
                throw failure
            } catch {
                lastError = StoreError.classify(error).description
            }
            if clock.now + delay > deadline {
                throw .unreachable(target: target, waited: settings.startupTimeout, lastError: lastError)
            }
            logger.warning(
                "database not reachable yet; retrying",
                metadata: ["attempt": "\(attempt)", "error": "\(lastError)", "retry_in": "\(delay)"]
            )
            try? await Task.sleep(for: delay)
            if Task.isCancelled {
                throw .unreachable(
                    target: target, waited: clock.now - (deadline - settings.startupTimeout), lastError: lastError)
            }
            delay = min(delay * 2, .seconds(2))
        }
    }

    private var target: String { "\(settings.host):\(settings.port)" }

    private var startupParameters: [(String, String)] {
        let milliseconds = settings.queryTimeout.wholeMilliseconds
        return [("application_name", "tasks-api"), ("statement_timeout", "\(milliseconds)")]
    }

    private var clientTLS: PostgresClient.Configuration.TLS {
        switch settings.tls {
        case .disable: return .disable
        case .prefer: return .prefer(.makeClientConfiguration())
        case .require: return .require(.makeClientConfiguration())
        }
    }

    private func probeOnce(logger: Logger) async throws {
        var configuration = PostgresConnection.Configuration(
            host: settings.host,
            port: settings.port,
            username: settings.user,
            password: settings.password,
            database: settings.name,
            tls: try connectionTLS()
        )
        configuration.options.connectTimeout = .milliseconds(settings.connectTimeout.wholeMilliseconds)
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                on: MultiThreadedEventLoopGroup.singleton.next(),
                configuration: configuration,
                id: 0,
                logger: logger
            ).get()
        } catch let error as PSQLError {
            if let state = error.serverInfo?[.sqlState], Self.fatalStates.contains(state) {
                throw Failure.refused("\(error.serverInfo?[.message] ?? "no message") (SQLSTATE \(state))")
            }
            throw error
        }
        try await connection.close()
    }

    private func connectionTLS() throws(Failure) -> PostgresConnection.Configuration.TLS {
        do {
            switch settings.tls {
            case .disable: return .disable
            case .prefer: return .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: return .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw .tls("\(error)")
        }
    }
}
