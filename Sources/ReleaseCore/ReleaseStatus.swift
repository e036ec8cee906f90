/// The status of a release, always derived from the files (never stored), by the rule of
/// deploy/contract/README.md ("Statut d'une release"), in this order:
///
/// - `current`: the pointer names it (its own problem, if any, is its reason);
/// - `incomplete`: no manifest.json (the deploy died or is running);
/// - `invalid`: the manifest rule refuses manifest.json;
/// - `failed`: manifest status failed (it never served);
/// - `bad`: a BAD marker (failed its health gate or was rolled away from);
/// - `deployed`: otherwise (a rollback target if its release.env pins it).
public enum ReleaseStatus: String, CaseIterable, Equatable, Sendable {
    case current
    case deployed
    case failed
    case bad
    case incomplete
    case invalid

    /// The status of `record` ignoring the pointer, with its contract code (nil for deployed).
    public static func underlying(_ record: ReleaseRecord) -> (ReleaseStatus, ContractCode?) {
        switch record.manifest {
        case .missing: return (.incomplete, .noManifest)
        case .rejected(let code): return (.invalid, code)
        case .accepted(let failed, _):
            if failed { return (.failed, .deployFailed) }
            if record.badMarker != nil { return (.bad, .markedBad) }
            return (.deployed, nil)
        }
    }

    /// Derives the status of `record` given the current release id, with the contract code and
    /// the reason shown for it (for `current`, the code of what is off underneath, if anything).
    public static func derive(_ record: ReleaseRecord, currentID: ReleaseID?) -> (ReleaseStatus, ContractCode?, String?)
    {
        let (status, code) = underlying(record)
        let reason = code.map { reasonText($0, record: record) }
        if record.id == currentID {
            return (.current, code, reason.map { "current, but \($0)" })
        }
        return (status, code, reason)
    }

    /// `code: text`, followed by what the files say about it (the BAD reason, the failure reason).
    private static func reasonText(_ code: ContractCode, record: ReleaseRecord) -> String {
        switch code {
        case .markedBad, .deployFailed:
            let why = record.validManifest?.failureReason ?? record.badMarker?.reason
            return code.description + (why.map { " (\($0))" } ?? "")
        default:
            return code.description
        }
    }
}
