import NIOConcurrencyHelpers

/// Whether the process is shutting down; flipped first on SIGTERM so `/readyz` turns false before the server stops.
public final class ShutdownFlag: Sendable {
    private let value = NIOLockedValueBox(false)

    public init() {}

    public var isShuttingDown: Bool { value.withLockedValue { $0 } }

    public func markShuttingDown() {
        value.withLockedValue { $0 = true }
    }
}

/// What `/readyz` answers: ready only when not shutting down, the database answers, and its schema is at least at
/// the version this build needs (a newer schema is fine: migrations are expand/contract).
struct ReadinessCheck: Sendable {
    struct Verdict: Sendable, Equatable {
        var ready: Bool
        var code: String
        var message: String
        var schemaVersion: Int?
    }

    let shutdown: ShutdownFlag
    let schema: any SchemaVersionSource
    let requiredVersion: Int
    /// `READINESS_TIMEOUT`: the answer comes within this bound even when the database host drops every packet.
    let timeout: Duration

    func evaluate() async -> Verdict {
        if shutdown.isShuttingDown {
            return Verdict(
                ready: false, code: "shutting_down", message: "the service is shutting down", schemaVersion: nil)
        }
        let version: Int
        do {
            let schema = self.schema
            version = try await withDeadline(timeout) { try await schema.schemaVersion() }
        } catch .timedOut(let limit) {
            let message = "the database did not answer within \(limit.secondsValue) s"
            return Verdict(ready: false, code: "database_unavailable", message: message, schemaVersion: nil)
        } catch {
            return Verdict(ready: false, code: "database_unavailable", message: error.description, schemaVersion: nil)
        }
        guard version >= requiredVersion else {
            return Verdict(
                ready: false,
                code: "schema_outdated",
                message:
                    "database schema is at version \(version), this build needs \(requiredVersion); run migrations",
                schemaVersion: version
            )
        }
        return Verdict(ready: true, code: "ready", message: "ready", schemaVersion: version)
    }
}
