import ArgumentParser
import TasksAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `tasks-api healthcheck`: what the image's HEALTHCHECK runs (no shell, no curl in the image).
struct Healthcheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "GET http://127.0.0.1:$HTTP_PORT/healthz; exit 0 when it answers 200, 1 otherwise."
    )

    @Option(help: "Seconds to wait for the answer.")
    var timeout: Double = 3

    func validate() throws {
        guard timeout > 0, timeout <= 60 else { throw ValidationError("--timeout must be in (0, 60] seconds") }
    }

    func run() async throws {
        let settings: HTTPSettings
        do {
            settings = try HTTPSettings.load(from: ProcessInfo.processInfo.environment)
        } catch {
            printError("tasks-api healthcheck: \(error)")
            throw ExitCode.failure
        }
        let probe = HealthProbe(port: settings.port, timeout: .milliseconds(Int64(timeout * 1000)))
        do {
            try await probe.check()
        } catch {
            printError("tasks-api healthcheck: unhealthy: \(error)")
            throw ExitCode.failure
        }
    }
}
