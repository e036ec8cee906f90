/// The result of looking for a rollback target.
public enum RollbackCandidate: Equatable, Sendable {
    case release(ReleaseID)
    case none(Refusal)

    /// Why there is no target, in words that say what to do next.
    public enum Refusal: Equatable, Sendable, CustomStringConvertible {
        case noCurrentRelease
        case currentMissing(ReleaseID)
        case noOlderRelease(ReleaseID)
        case noDeployedOlderRelease(ReleaseID, skipped: Int)
        case unknownRelease(ReleaseID)
        case targetIsCurrent(ReleaseID)
        case targetNotDeployable(ReleaseID, status: ReleaseStatus, reason: String?)
        case targetWithoutReleaseEnv(ReleaseID)
        case otherEnvironment(ReleaseID, target: String, current: String)

        public var description: String {
            switch self {
            case .noCurrentRelease:
                return "no current release (deploy/current and current.txt are absent): nothing to roll back from"
            case .currentMissing(let id):
                return "the current pointer names \(id) but its directory is gone: deploy again to repair"
            case .noOlderRelease(let id):
                return "no release older than the current one (\(id)): there is nothing to roll back to"
            case .noDeployedOlderRelease(let id, let skipped):
                return "none of the \(skipped) releases older than \(id) is deployed (to the same environment, "
                    + "with a release.env) and free of a BAD marker: "
                    + "there is nothing safe to roll back to (see `reldash releases`)"
            case .unknownRelease(let id):
                return "release \(id) does not exist in deploy/releases"
            case .targetIsCurrent(let id):
                return "release \(id) is already current"
            case .targetNotDeployable(let id, let status, let reason):
                return "release \(id) is \(status.rawValue)\(reason.map { " (\($0))" } ?? ""): "
                    + "only a deployed release without a BAD marker can be a rollback target"
            case .targetWithoutReleaseEnv(let id):
                return "release \(id) has no release.env: the rollback script cannot pin its image"
            case .otherEnvironment(let id, let target, let current):
                return "release \(id) was deployed to '\(target)', the current one to '\(current)': "
                    + "environments are never mixed"
            }
        }

        /// A stable identifier for `--json` output.
        public var code: String {
            switch self {
            case .noCurrentRelease: return "no_current_release"
            case .currentMissing: return "current_missing"
            case .noOlderRelease: return "no_older_release"
            case .noDeployedOlderRelease: return "no_deployed_older_release"
            case .unknownRelease: return "unknown_release"
            case .targetIsCurrent: return "target_is_current"
            case .targetNotDeployable: return "target_not_deployable"
            case .targetWithoutReleaseEnv: return "target_without_release_env"
            case .otherEnvironment: return "other_environment"
            }
        }
    }

    /// Same rule as scripts/rollback.sh: the newest release older than current that is deployed,
    /// has no BAD marker, has a release.env, and was deployed to the current release's environment.
    static func select(
        releases: [Release], currentID: ReleaseID?, lookup: (ReleaseID) -> Release?
    ) -> RollbackCandidate {
        guard let currentID else { return .none(.noCurrentRelease) }
        guard let current = lookup(currentID) else { return .none(.currentMissing(currentID)) }
        let environment = current.record.appEnvironment
        let older = releases.filter { $0.id < currentID }
        guard !older.isEmpty else { return .none(.noOlderRelease(currentID)) }
        guard
            let target = older.first(where: { $0.isRollbackTarget && $0.record.appEnvironment == environment })
        else {
            return .none(.noDeployedOlderRelease(currentID, skipped: older.count))
        }
        return .release(target.id)
    }

    /// The target id, when there is one.
    public var id: ReleaseID? {
        if case .release(let id) = self { return id }
        return nil
    }
}
