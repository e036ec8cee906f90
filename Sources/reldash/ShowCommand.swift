import ArgumentParser
import ReleaseCore

/// `reldash show ID`: one release in full, with its artifacts checked.
struct ShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show a release's full manifest and check each artifact's sha256 against its file.")

    @OptionGroup var global: GlobalOptions

    @Argument(help: ArgumentHelp("Release id (YYYYMMDDTHHMMSSZ), or 'current'.", valueName: "id"))
    var id: String

    func run() async throws {
        let context = try Context.make(global)
        let snapshot = try context.readSnapshot(try scope())
        let release = try find(in: snapshot.catalog)
        let now = context.clock.now()
        let artifacts = context.deployTree.checkArtifacts(of: release)
        if context.json {
            let document = context.deployTree.manifestDocument(release.id)
            Console.json(
                ReportJSON.show(release, manifestDocument: document, artifacts: artifacts, snapshot: snapshot, now: now)
            )
        } else {
            Console.out(ReportText.show(release, artifacts: artifacts, now: now, style: context.style))
        }
    }

    /// The current release and its rollback target are always read (for the flags shown); the
    /// release asked for on top.
    private func scope() throws(CommandFailure) -> CatalogScope {
        if id == "current" { return .summary }
        return .release(try releaseID())
    }

    private func releaseID() throws(CommandFailure) -> ReleaseID {
        guard let releaseID = ReleaseID(id) else {
            throw CommandFailure(
                code: "usage", message: "'\(id)' is not a release id (YYYYMMDDTHHMMSSZ, e.g. 20261124T181500Z)",
                status: .usage)
        }
        return releaseID
    }

    private func find(in catalog: ReleaseCatalog) throws(CommandFailure) -> Release {
        if id == "current" {
            guard let current = catalog.current else {
                throw CommandFailure(
                    code: "no_current_release", message: "there is no current release in this deploy directory",
                    status: .precondition)
            }
            return current
        }
        let releaseID = try releaseID()
        guard let release = catalog.release(releaseID) else {
            throw CommandFailure(
                code: "unknown_release",
                message: "release \(releaseID) does not exist in the deploy directory (see `reldash releases`)",
                status: .precondition)
        }
        return release
    }
}
