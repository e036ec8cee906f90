import ArgumentParser
import ReleaseApp

/// `reldash deploy`: runs scripts/deploy_local.sh and streams its output.
struct DeployCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deploy",
        abstract: "Run scripts/deploy_local.sh, streaming its output; exit with its code.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var script: ScriptOptions

    @Option(
        name: .long,
        help: ArgumentHelp("Environment: dev, staging or prod (the script's default: dev).", valueName: "name"))
    var env: String?

    func run() async throws {
        let context = try CommandContext.make(global, scriptsDir: script.scriptsDir)
        let request = try context.services.deployRequest(environment: env, passthrough: script.passthrough)
        if let lock = request.lock, !context.json {
            Console.err(
                "reldash: note: deploy/.lock is held by \(lock.summary); the script will refuse if it is live\n")
        }
        try await ScriptConsole.run(request, context: context, options: script)
    }
}
