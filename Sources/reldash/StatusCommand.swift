import ArgumentParser
import ReleaseApp
import ReleaseCore

/// `reldash status`: the current release, the deploy directory's state and the API's health.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Current release, manifest summary, rollback target, lock, and health from Prometheus.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Time span of the sparklines, e.g. 15m, 1h.", valueName: "duration"))
    var range = Parsed<PositiveDuration>(argument: "15m")!

    @Flag(name: .long, help: "Exit 4 when health is not healthy (degraded, unknown or unavailable).")
    var failOnDegraded = false

    func run() async throws {
        try await StatusCommand.print(global, range: range.value.seconds, failOnDegraded: failOnDegraded)
    }

    /// Prints the status view (also what `reldash` alone prints when stdout is not a terminal).
    static func print(_ global: GlobalOptions, range: Double, failOnDegraded: Bool) async throws {
        let context = try CommandContext.make(global)
        let snapshot = try context.services.snapshot(.summary)
        let width = context.json ? 60 : context.sparkWidth
        let health = await context.services.fetchHealth(range: range, points: width)
        let now = health.fetchedAt
        if context.json {
            Console.json(ReportJSON.status(snapshot, health: health, now: now))
        } else {
            context.print(
                ReportView.status(snapshot, health: health, now: now, glyphs: context.glyphs, sparkWidth: width))
        }
        if failOnDegraded, health.verdict(now: now).0 != .healthy {
            throw ExitWith(code: ExitStatus.degraded.rawValue)
        }
    }
}
