import ArgumentParser
import ReleaseApp
import ReleaseCore

/// `reldash health`: the series behind the sparklines.
struct HealthCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "health",
        abstract: "Health series from Prometheus (up, request rate, 5xx ratio, p95 latency, CPU, memory).")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Time span, e.g. 15m, 1h.", valueName: "duration"))
    var range = Parsed<PositiveDuration>(argument: "15m")!

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
        let context = try CommandContext.make(global)
        let width = points ?? (context.json ? 60 : context.sparkWidth)
        let health = await context.services.fetchHealth(range: range.value.seconds, points: width)
        if context.json {
            Console.json(ReportJSON.health(health, now: health.fetchedAt))
        } else {
            context.print(
                ReportView.health(health, now: health.fetchedAt, glyphs: context.glyphs, sparkWidth: context.sparkWidth)
            )
        }
    }
}
