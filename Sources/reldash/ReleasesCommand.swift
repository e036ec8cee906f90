import ArgumentParser
import ReleaseApp
import ReleaseCore

/// `reldash releases`: every release, newest first, with its status and why.
struct ReleasesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "releases",
        abstract: "List releases newest first, with status and the reason for failed/bad/invalid/incomplete.")

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: ArgumentHelp("Show at most N releases; 0 shows all.", valueName: "n"))
    var limit = 0

    func validate() throws {
        guard limit >= 0 else { throw ValidationError("--limit must be 0 (all) or a positive number") }
    }

    func run() async throws {
        let context = try CommandContext.make(global)
        let shown = limit == 0 ? nil : limit
        let snapshot = try context.services.snapshot(shown.map { .newest($0) } ?? .all)
        if context.json {
            Console.json(ReportJSON.releases(snapshot, limit: shown, now: context.now))
        } else {
            context.print(ReportView.releases(snapshot, limit: shown, now: context.now))
        }
    }
}
