import ArgumentParser
import ReleaseApp

/// `reldash rollback`: runs scripts/rollback.sh towards the target reldash shows.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Run scripts/rollback.sh to the previous good release (or --to ID); exit with its code.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var script: ScriptOptions

    @Option(
        name: .long,
        help: ArgumentHelp("Release to roll back (or forward) to: YYYYMMDDTHHMMSSZ.", valueName: "id"))
    var to: Parsed<ReleaseIDValue>?

    func run() async throws {
        let context = try CommandContext.make(global, scriptsDir: script.scriptsDir)
        // The target is passed explicitly so the script acts on exactly what was confirmed.
        let request = try context.services.rollbackRequest(to: to?.value.id, passthrough: script.passthrough)
        try await ScriptConsole.run(request, context: context, options: script)
    }
}
