import ArgumentParser
import ReleaseCore

/// `reldash rollback`: runs scripts/rollback.sh towards the target reldash shows.
struct RollbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollback",
        abstract: "Run scripts/rollback.sh to the previous good release (or --to ID); exit with its code.")

    @OptionGroup var global: GlobalOptions
    @OptionGroup var script: ScriptOptions

    @Option(name: .long, help: ArgumentHelp("Release to roll back (or forward) to.", valueName: "id"))
    var to: String?

    func run() async throws {
        let context = try Context.make(global)
        let snapshot = try context.readSnapshot(try scope())
        let session = ScriptSession(context: context, options: script, command: "rollback")
        let path = try session.scriptPath("rollback.sh")
        let catalog = snapshot.catalog
        let target = try chooseTarget(catalog)
        let current = catalog.current?.id.rawValue
        try session.confirm("Roll back from \(current ?? "none") to \(target) in \(snapshot.path)?")
        // The target is passed explicitly so the script acts on exactly what was confirmed.
        try await session.run(script: path, arguments: ["--to", target.rawValue], currentBefore: current)
    }

    private func targetID() throws(CommandFailure) -> ReleaseID? {
        guard let to else { return nil }
        guard let id = ReleaseID(to) else {
            throw CommandFailure(
                code: "usage", message: "--to '\(to)' is not a release id (YYYYMMDDTHHMMSSZ)", status: .usage)
        }
        return id
    }

    private func scope() throws(CommandFailure) -> CatalogScope {
        try targetID().map { .release($0) } ?? .summary
    }

    private func chooseTarget(_ catalog: ReleaseCatalog) throws(CommandFailure) -> ReleaseID {
        let choice: RollbackCandidate
        if let id = try targetID() {
            choice = catalog.checkRollbackTarget(id)
        } else {
            choice = catalog.rollbackCandidate
        }
        switch choice {
        case .release(let id):
            return id
        case .none(let refusal):
            throw CommandFailure(code: refusal.code.rawValue, message: "no rollback: \(refusal)", status: .precondition)
        }
    }
}
