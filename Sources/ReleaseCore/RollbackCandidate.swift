/// The result of looking for a rollback target, by the rule of deploy/contract/README.md
/// ("Cible d'un retour arrière"), the same as scripts/lib/releases.sh.
public enum RollbackCandidate: Equatable, Sendable {
    case release(ReleaseID)
    case none(Refusal)

    /// Why there is no target: the contract code, and the release it is about (the one asked for
    /// with `--to`, or the current one).
    public struct Refusal: Equatable, Sendable, CustomStringConvertible {
        public var code: ContractCode
        public var release: ReleaseID?

        public init(_ code: ContractCode, release: ReleaseID? = nil) {
            self.code = code
            self.release = release
        }

        public var description: String {
            let about = release.map { "release \($0): " } ?? ""
            return "\(about)\(code)\(advice)"
        }

        private var advice: String {
            switch code {
            case .targetBad: return "; delete its BAD marker first only if you are sure"
            case .noEligibleRelease, .noOlderRelease: return "; nothing was changed (see `reldash releases`)"
            case .pointerBroken: return "; fix deploy/current or deploy/current.txt first (see `reldash status`)"
            default: return ""
            }
        }
    }

    /// Why `targetID` cannot be rolled back to (`rollback --to`), in the contract's order; nil
    /// when it can. `target` is its record when it is a release of the tree.
    public static func problem(
        targetID: ReleaseID, target: ReleaseRecord?, current: ReleaseRecord?, pointer: CurrentPointer.Resolution
    ) -> ContractCode? {
        if pointer.broken != nil { return .pointerBroken }
        guard let currentID = pointer.id else { return .noCurrentRelease }
        if targetID == currentID { return .targetIsCurrent }
        guard let target else { return .unknownRelease }
        switch ReleaseStatus.underlying(target).0 {
        case .deployed: break
        case .incomplete: return .targetIncomplete
        case .invalid: return .targetInvalid
        case .failed: return .targetFailed
        case .bad: return .targetBad
        case .current: return .targetIsCurrent
        }
        if let problem = target.releaseEnvProblem { return problem }
        guard let environment = current?.appEnvironment else { return .currentEnvironmentUnknown }
        return target.appEnvironment == environment ? nil : .otherEnvironment
    }

    /// The default target: the newest release older than the current one that `problem` accepts.
    /// `olderNewestFirst` yields the records older than the current release, newest first; it is
    /// consumed only up to the target.
    public static func select(
        current: ReleaseRecord?, pointer: CurrentPointer.Resolution, olderNewestFirst: some Sequence<ReleaseRecord>
    ) -> RollbackCandidate {
        if pointer.broken != nil { return .none(Refusal(.pointerBroken)) }
        guard let currentID = pointer.id else { return .none(Refusal(.noCurrentRelease)) }
        guard current?.appEnvironment != nil else {
            return .none(Refusal(.currentEnvironmentUnknown, release: currentID))
        }
        var sawOlder = false
        for record in olderNewestFirst {
            sawOlder = true
            if problem(targetID: record.id, target: record, current: current, pointer: pointer) == nil {
                return .release(record.id)
            }
        }
        return .none(Refusal(sawOlder ? .noEligibleRelease : .noOlderRelease, release: currentID))
    }

    /// The target id, when there is one.
    public var id: ReleaseID? {
        if case .release(let id) = self { return id }
        return nil
    }
}
