import ArgumentParser
import ReleaseCore

/// `reldash health`: the series behind the sparklines.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Health series from Prometheus (up, request rate, 5xx ratio, p95 latency, CPU, memory).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Time span, e.g. 15m, 1h.", valueName: "duration"))
    var range = "15m"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Points per series (default: the terminal width for text, 60 for --json; at most 11000).",
            valueName: "n"))
    var points: Int?

    func validate() throws {
        if let points, !(2...QueryRangePlan.maximumPoints).contains(points) {
            throw ValidationError("--points must be between 2 and \(QueryRangePlan.maximumPoints)")
        }
    }

    func run() async throws {
        let context = try Context.make(global)
        guard let seconds = DurationText.parse(range) else {
            throw CommandFailure(
                code: "usage", message: "--range '\(range)' is not a duration such as 15m", status: .usage)
        }
        let now = context.clock.now()
        let width = points ?? (context.json ? 60 : context.sparkWidth)
        let plan = QueryRangePlan(range: seconds, width: width, now: now)
        let health = await context.healthSource.fetch(
            settings: context.settings.health, plan: plan, now: now, timeout: context.settings.timeout)
        if context.json {
            Console.json(ReportJSON.health(health, now: now))
        } else {
            Console.out(ReportText.health(health, now: now, style: context.style, sparkWidth: context.sparkWidth))
        }
    }
}
