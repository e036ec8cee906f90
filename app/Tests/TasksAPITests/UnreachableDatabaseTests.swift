import Logging
import PostgresNIO
import TasksDomain
import Testing

@testable import TasksAPI

@Suite("Store with no database behind it")
struct UnreachableDatabaseTests {
    /// Port 1 on the loopback: nothing listens there, every connection is refused at once.
    static func closedPort(queryTimeout: Duration = .seconds(5), startupTimeout: Duration = .seconds(30))
        -> DatabaseSettings
    {
        DatabaseSettings(
            host: "127.0.0.1", port: 1, name: "none", user: "none", password: "none", tls: .disable,
            connectTimeout: .milliseconds(200), queryTimeout: queryTimeout, startupTimeout: startupTimeout)
    }

    static var quietLogger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return logger
    }

    @Test func callsFailWithinTheQueryTimeoutInsteadOfHanging() async throws {
        let logger = Self.quietLogger
        let settings = Self.closedPort(queryTimeout: .milliseconds(500))
        let client = DatabaseConnector(settings: settings).makeClient(logger: logger)
        let store = PostgresTaskStore(client: client, queryTimeout: settings.queryTimeout, logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            let started = ContinuousClock.now
            do {
                _ = try await store.list(PageRequest())
                Issue.record("listing succeeded without a database")
            } catch {
                switch error as? StoreError {
                case .unavailable?, .timedOut?: break
                default: Issue.record("an outage must be reported as unavailable, got \(error)")
                }
            }
            #expect(ContinuousClock.now - started < .seconds(3))
            group.cancelAll()
        }
    }

    @Test func startupWaitGivesUpAfterTheStartupTimeout() async throws {
        let settings = Self.closedPort(startupTimeout: .milliseconds(600))
        do {
            try await DatabaseConnector(settings: settings).waitUntilReachable(logger: Self.quietLogger)
            Issue.record("reachable without a database")
        } catch {
            guard case .unreachable(let target, _, _) = error else {
                Issue.record("expected unreachable, got \(error)")
                return
            }
            #expect(target == "127.0.0.1:1")
            #expect(error.description.contains("check DATABASE_HOST/DATABASE_PORT"))
        }
    }
}
