import ArgumentParser
import ReleaseCore

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
        let context = try Context.make(global)
        let snapshot = try context.readSnapshot(.summary)
        let session = ScriptSession(context: context, options: script, command: "deploy")
        let path = try session.scriptPath("deploy_local.sh")
        let current = snapshot.catalog.current?.id.rawValue
        if let lock = snapshot.lock, !context.json {
            Console.err(
                "reldash: note: deploy/.lock is held by \(lock.summary); the script will refuse if it is live\n")
        }
        try session.confirm(
            "Deploy the working tree to '\(env ?? "dev")' in \(snapshot.path) (current: \(current ?? "none"))?")
        try await session.run(script: path, arguments: env.map { ["--env", $0] } ?? [], currentBefore: current)
    }
}
