/// Which releases a view reads. Reading a manifest costs a file read and a parse; `status` on a
/// directory of 10,000 releases needs three of them, not 10,000.
public enum CatalogScope: Equatable, Sendable {
    /// Every release (`releases` without `--limit`).
    case all
    /// The current release and what the rollback rule needs: the older releases, newest first,
    /// up to the first rollback target (`status`, `rollback`).
    case summary
    /// The summary plus the `count` newest releases (`releases --limit`).
    case newest(Int)
    /// The summary plus one release (`show`, `rollback --to`).
    case release(ReleaseID)

    /// Builds the catalog of `allIDs`, reading with `read` only the releases this scope needs.
    /// `read` gets batches (read them in parallel if you like) and returns one record per id.
    public func load(
        allIDs: [ReleaseID], pointer: CurrentPointer.Resolution, read: ([ReleaseID]) -> [ReleaseRecord]
    ) -> ReleaseCatalog {
        let newestFirst = allIDs.sorted(by: >)
        if self == .all {
            return ReleaseCatalog(records: read(newestFirst), allIDs: allIDs, pointer: pointer)
        }
        var loaded: [ReleaseID: ReleaseRecord] = [:]
        func fetch(_ ids: [ReleaseID]) {
            let missing = ids.filter { loaded[$0] == nil }
            guard !missing.isEmpty else { return }
            for record in read(missing) { loaded[record.id] = record }
        }
        switch self {
        case .newest(let count): fetch(Array(newestFirst.prefix(max(0, count))))
        case .release(let id) where allIDs.contains(id): fetch([id])
        default: break
        }
        if let currentID = pointer.id {
            fetch([currentID])
            let current = loaded[currentID]
            for id in newestFirst where id < currentID {
                fetch([id])
                guard let record = loaded[id] else { continue }
                let problem = RollbackCandidate.problem(
                    targetID: id, target: record, current: current, pointer: pointer)
                if problem == nil || current?.appEnvironment == nil { break }
            }
        }
        return ReleaseCatalog(records: Array(loaded.values), allIDs: allIDs, pointer: pointer)
    }
}
