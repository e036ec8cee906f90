/// The status of a release, always derived from the files (never stored):
///
/// - `current`: the pointer names it;
/// - `deployed`: manifest status deployed, not current, no BAD marker (a rollback target);
/// - `failed`: manifest status failed (it never served);
/// - `bad`: a BAD marker (failed its health gate or was rolled away from);
/// - `incomplete`: no manifest.json (the deploy died or is running);
/// - `invalid`: a manifest that cannot be read or trusted.
public enum ReleaseStatus: String, CaseIterable, Equatable, Sendable {
    case current
    case deployed
    case failed
    case bad
    case incomplete
    case invalid

    /// Derives the status of `record` given the current release id, with the reason shown for
    /// every status but `current` and `deployed` (and for `current` when something is off).
    public static func derive(_ record: ReleaseRecord, currentID: ReleaseID?) -> (ReleaseStatus, String?) {
        let (status, reason) = statusIgnoringPointer(record)
        if record.id == currentID {
            return (.current, reason.map { "current, but \($0)" })
        }
        return (status, reason)
    }

    private static func statusIgnoringPointer(_ record: ReleaseRecord) -> (ReleaseStatus, String?) {
        if let problem = problemOf(record) { return (problem.status, problem.reason) }
        guard let manifest = record.validManifest else { return (.invalid, "no manifest") }
        if manifest.outcome == .failed {
            let why = manifest.failureReason ?? record.badMarker?.reason
            let gate = manifest.healthGate?.status.map { " (health gate: \($0))" } ?? ""
            return (.failed, "deploy failed\(gate)" + (why.map { ": \($0)" } ?? ""))
        }
        if let marker = record.badMarker {
            return (.bad, "marked BAD" + (marker.reason.map { ": \($0)" } ?? ""))
        }
        return (.deployed, nil)
    }

    /// Problems that make the release unusable whatever the pointer says.
    private static func problemOf(_ record: ReleaseRecord) -> (status: ReleaseStatus, reason: String)? {
        switch record.manifest {
        case .missing:
            return (.incomplete, "no manifest.json: the deploy did not finish")
        case .invalid(let problem):
            return (.invalid, "manifest.json: \(problem)")
        case .unreadable(let why):
            return (.invalid, "manifest.json cannot be read: \(why)")
        case .valid(let manifest):
            if manifest.releaseID != record.id.rawValue {
                return (.invalid, "manifest.json names release \(manifest.releaseID), not \(record.id)")
            }
            if case .other(let outcome) = manifest.outcome {
                return (.invalid, "manifest.json has an unknown status '\(outcome)'")
            }
            return nil
        }
    }
}
