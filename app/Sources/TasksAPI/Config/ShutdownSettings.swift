/// What happens between SIGTERM and exit.
public struct ShutdownSettings: Sendable {
    /// Time between readiness turning false and the server ceasing to accept connections, so a load balancer
    /// polling `/readyz` stops sending traffic first.
    public var drainDelay: Duration
    /// Longest wait for in-flight requests to finish; after it they are cancelled.
    public var gracePeriod: Duration

    public init(drainDelay: Duration = .zero, gracePeriod: Duration = .seconds(8)) {
        self.drainDelay = drainDelay
        self.gracePeriod = gracePeriod
    }

    static func read(_ reader: inout EnvironmentReader) -> ShutdownSettings {
        ShutdownSettings(
            drainDelay: reader.seconds("SHUTDOWN_DRAIN_DELAY", default: 0, range: 0...60),
            gracePeriod: reader.seconds("SHUTDOWN_GRACE_PERIOD", default: 8, range: 0.1...300)
        )
    }
}
