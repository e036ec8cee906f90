/// The releases of a deploy directory that a view needs (all of them, or the few that
/// `CatalogScope` selects), newest first, with the current pointer resolved.
public struct ReleaseCatalog: Equatable, Sendable {
    /// The loaded releases, newest first (release ids sort in time order).
    public let releases: [Release]
    public let pointer: CurrentPointer.Resolution
    /// Where `rollback` without `--to` would go: the same rule as scripts/rollback.sh.
    public let rollbackCandidate: RollbackCandidate
    /// How many release directories exist, loaded or not.
    public let total: Int
    private let positions: [ReleaseID: Int]
    private let existing: Set<ReleaseID>

    /// A catalog of every release directory (all of them loaded).
    public init(records: [ReleaseRecord], pointer: CurrentPointer.Resolution) {
        self.init(records: records, allIDs: records.map(\.id), pointer: pointer)
    }

    /// A catalog of the loaded `records` among the directories `allIDs`. The records must hold
    /// what the rollback rule needs (see `CatalogScope.load`).
    public init(records: [ReleaseRecord], allIDs: [ReleaseID], pointer: CurrentPointer.Resolution) {
        self.pointer = pointer
        total = allIDs.count
        existing = Set(allIDs)
        let newestFirst = zip(records, records.dropFirst()).allSatisfy { $0.id > $1.id }
        let sorted = newestFirst ? records : records.sorted { $0.id > $1.id }
        releases = sorted.map { Release(record: $0, currentID: pointer.id) }
        var positions: [ReleaseID: Int] = [:]
        for (position, release) in releases.enumerated() { positions[release.id] = position }
        self.positions = positions
        let releases = releases
        rollbackCandidate = RollbackCandidate.select(releases: releases, currentID: pointer.id) {
            positions[$0].map { releases[$0] }
        }
    }

    /// The release with this id, if its directory exists and it was loaded.
    public func release(_ id: ReleaseID) -> Release? {
        positions[id].map { releases[$0] }
    }

    /// True when every release directory was loaded (counts by status are then exact).
    public var isComplete: Bool {
        releases.count == total
    }

    /// The current release; nil when there is no pointer or it names a missing directory.
    public var current: Release? {
        pointer.id.flatMap(release)
    }

    /// Problems with the pointer, including a pointer to a release directory that does not exist.
    public var pointerProblems: [String] {
        var problems = pointer.problems
        if let id = pointer.id, !existing.contains(id) {
            problems.append("the current pointer names \(id), but deploy/releases/\(id) does not exist")
        }
        return problems
    }

    /// How many loaded releases have each status (every status present, zero included); exact
    /// for the whole directory when `isComplete`.
    public var countsByStatus: [(ReleaseStatus, Int)] {
        var counts: [ReleaseStatus: Int] = [:]
        for release in releases { counts[release.status, default: 0] += 1 }
        return ReleaseStatus.allCases.map { ($0, counts[$0] ?? 0) }
    }

    /// Checks an explicit `rollback --to ID` (older or newer): the release must exist, not be
    /// current, be deployed with no BAD marker and a release.env, and share the current release's
    /// environment.
    public func checkRollbackTarget(_ id: ReleaseID) -> RollbackCandidate {
        guard let target = release(id) else { return .none(.unknownRelease(id)) }
        if target.status == .current { return .none(.targetIsCurrent(id)) }
        guard target.status == .deployed else {
            return .none(.targetNotDeployable(id, status: target.status, reason: target.reason))
        }
        guard target.record.releaseEnv != nil else { return .none(.targetWithoutReleaseEnv(id)) }
        if let current, current.record.appEnvironment != target.record.appEnvironment {
            return .none(
                .otherEnvironment(id, target: target.record.appEnvironment, current: current.record.appEnvironment))
        }
        return .release(id)
    }
}
