import ArgumentParser
import ReleaseApp
import ReleaseCore

/// `reldash show ID`: one release in full, with its artifacts checked.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a release's full manifest and check each artifact's sha256 against its file.")

    @OptionGroup var global: GlobalOptions

    @Argument(
        help: ArgumentHelp("Release id (YYYYMMDDTHHMMSSZ, e.g. 20261124T181500Z), or 'current'.", valueName: "id"))
    var id: Parsed<ReleaseSelector>

    func run() async throws {
        let context = try CommandContext.make(global)
        let detail = try context.services.detail(id.value)
        if context.json {
            Console.json(
                ReportJSON.show(
                    detail.release, manifestDocument: detail.manifestDocument, artifacts: detail.artifacts,
                    snapshot: detail.snapshot, now: context.now))
        } else {
            context.print(ReportView.show(detail.release, artifacts: detail.artifacts, now: context.now))
        }
    }
}
