import ArgumentParser
import ReleaseCore

/// `reldash status`: the current release, the deploy directory's state and the API's health.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Current release, manifest summary, rollback target, lock, and health from Prometheus.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Time span of the sparklines.", valueName: "duration"))
    var range = "15m"

    @Flag(name: .long, help: "Exit 4 when health is not healthy (degraded, unknown or unavailable).")
    var failOnDegraded = false

    func run() async throws {
        let context = try Context.make(global)
        guard let seconds = DurationText.parse(range) else {
            throw CommandFailure(
                code: "usage", message: "--range '\(range)' is not a duration such as 15m", status: .usage)
        }
        let snapshot = try context.readSnapshot(.summary)
        let now = context.clock.now()
        let width = context.json ? 60 : context.sparkWidth
        let plan = QueryRangePlan(range: seconds, width: width, now: now)
        let health = await context.healthSource.fetch(
            settings: context.settings.health, plan: plan, now: now, timeout: context.settings.timeout)
        if context.json {
            Console.json(ReportJSON.status(snapshot, health: health, now: now))
        } else {
            Console.out(ReportText.status(snapshot, health: health, now: now, style: context.style, sparkWidth: width))
        }
        if failOnDegraded, health.verdict(now: now).0 != .healthy {
            throw ExitWith(code: ExitStatus.degraded.rawValue)
        }
    }
}
