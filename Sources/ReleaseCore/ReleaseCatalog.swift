/// The releases of a deploy directory that a view needs (all of them, or the few that
/// `CatalogScope` selects), newest first, with the current pointer resolved.
public struct ReleaseCatalog: Equatable, Sendable {
    /// The loaded releases, newest first (release ids sort in time order).
    public let releases: [Release]
    public let pointer: CurrentPointer.Resolution
    /// Where `rollback` without `--to` would go: the contract's rule, as scripts/rollback.sh.
    public let rollbackCandidate: RollbackCandidate
    /// How many release directories exist, loaded or not.
    public let total: Int
    private let positions: [ReleaseID: Int]

    /// A catalog of every release directory (all of them loaded).
    public init(records: [ReleaseRecord], pointer: CurrentPointer.Resolution) {
        self.init(records: records, allIDs: records.map(\.id), pointer: pointer)
    }

    /// A catalog of the loaded `records` among the directories `allIDs`. The records must hold
    /// what the rollback rule needs (see `CatalogScope.load`).
    public init(records: [ReleaseRecord], allIDs: [ReleaseID], pointer: CurrentPointer.Resolution) {
        self.pointer = pointer
        total = allIDs.count
        let newestFirst = zip(records, records.dropFirst()).allSatisfy { $0.id > $1.id }
        let sorted = newestFirst ? records : records.sorted { $0.id > $1.id }
        releases = sorted.map { Release(record: $0, currentID: pointer.id) }
        var positions: [ReleaseID: Int] = [:]
        for (position, release) in releases.enumerated() { positions[release.id] = position }
        self.positions = positions
        let loaded = releases
        let current = pointer.id.flatMap { positions[$0] }.map { loaded[$0].record }
        let currentID = pointer.id
        let older = loaded.lazy.filter { release in currentID.map { release.id < $0 } ?? false }.map(\.record)
        rollbackCandidate = RollbackCandidate.select(current: current, pointer: pointer, olderNewestFirst: older)
    }

    /// The release with this id, if its directory exists and it was loaded.
    public func release(_ id: ReleaseID) -> Release? {
        positions[id].map { releases[$0] }
    }

    /// True when every release directory was loaded (counts by status are then exact).
    public var isComplete: Bool {
        releases.count == total
    }

    /// The current release; nil when nothing is deployed or the pointer is broken.
    public var current: Release? {
        pointer.id.flatMap(release)
    }

    /// Problems with the pointer (broken, or read with a warning), as `code: text`.
    public var pointerProblems: [String] {
        pointer.problems
    }

    /// How many loaded releases have each status (every status present, zero included); exact
    /// for the whole directory when `isComplete`.
    public var countsByStatus: [(ReleaseStatus, Int)] {
        var counts: [ReleaseStatus: Int] = [:]
        for release in releases { counts[release.status, default: 0] += 1 }
        return ReleaseStatus.allCases.map { ($0, counts[$0] ?? 0) }
    }

    /// Checks an explicit `rollback --to ID` (older or newer) by the contract's rule.
    public func checkRollbackTarget(_ id: ReleaseID) -> RollbackCandidate {
        let problem = RollbackCandidate.problem(
            targetID: id, target: release(id)?.record, current: current?.record, pointer: pointer)
        return problem.map { .none(.init($0, release: id)) } ?? .release(id)
    }
}
