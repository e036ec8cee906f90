import ReleaseCore
import ReleaseIO

/// A release read in full for `show`: the release, its manifest as written, its artifacts checked.
public struct ReleaseDetail: Equatable, Sendable {
    public let snapshot: DeploySnapshot
    public let release: Release
    public let artifacts: [ArtifactCheck]
    /// The manifest as parsed JSON, unknown fields included (nil when absent or not JSON).
    public let manifestDocument: JSONValue?
}

extension AppServices {
    /// Reads what `scope` needs of the deploy directory; a missing one is a precondition failure
    /// (exit 3), an unreadable one a failure (exit 1).
    public func snapshot(_ scope: CatalogScope) throws(AppFailure) -> DeploySnapshot {
        do {
            return try tree.snapshot(scope: scope)
        } catch {
            throw AppServices.failure(error)
        }
    }

    /// The deploy-tree error as the failure front ends report.
    public static func failure(_ error: DeployReadError) -> AppFailure {
        switch error {
        case .missing:
            return AppFailure(code: "deploy_dir_missing", message: error.description, status: .precondition)
        case .notADirectory:
            return AppFailure(code: "deploy_dir_not_directory", message: error.description, status: .precondition)
        case .unreadable:
            return AppFailure(code: "deploy_dir_unreadable", message: error.description, status: .failure)
        }
    }

    /// Health over the last `range` seconds, `points` points per series; never throws: failures
    /// (Prometheus down, a timeout) are inside the snapshot.
    public func fetchHealth(range: Double, points: Int) async -> HealthSnapshot {
        let now = clock.now()
        let plan = QueryRangePlan(range: range, width: points, now: now)
        return await health.fetch(settings: settings.health, plan: plan, now: now, timeout: settings.timeout)
    }

    /// One release in full. The current release and its rollback target are always read (for the
    /// flags shown), the release asked for on top.
    public func detail(_ selector: ReleaseSelector) throws(AppFailure) -> ReleaseDetail {
        let release: Release
        let snapshot: DeploySnapshot
        switch selector {
        case .current:
            snapshot = try self.snapshot(.summary)
            guard let current = snapshot.catalog.current else {
                throw AppFailure(
                    code: "no_current_release", message: "there is no current release in this deploy directory",
                    status: .precondition)
            }
            release = current
        case .id(let id):
            snapshot = try self.snapshot(.release(id))
            guard let found = snapshot.catalog.release(id) else {
                throw AppFailure(
                    code: "unknown_release",
                    message: "release \(id) does not exist in the deploy directory (see `reldash releases`)",
                    status: .precondition)
            }
            release = found
        }
        return ReleaseDetail(
            snapshot: snapshot, release: release, artifacts: tree.checkArtifacts(of: release),
            manifestDocument: tree.manifestDocument(release.id))
    }
}
