import Logging
import ServiceLifecycle

/// The first service to hear SIGTERM/SIGINT (it is last in the group): marks the process not ready, waits
/// `SHUTDOWN_DRAIN_DELAY` so load balancers notice, then lets the HTTP server drain and the pool close.
struct ShutdownGate: Service {
    let flag: ShutdownFlag
    let drainDelay: Duration
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        flag.markShuttingDown()
        logger.notice("shutdown requested: readiness is now false", metadata: ["drain_delay": "\(drainDelay)"])
        if drainDelay > .zero {
            try? await Task.sleep(for: drainDelay)
        }
        logger.notice("no longer accepting connections; finishing in-flight requests")
    }
}
