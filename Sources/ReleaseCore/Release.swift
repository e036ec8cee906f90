/// A release with its derived status: what every view shows.
public struct Release: Equatable, Sendable {
    public var record: ReleaseRecord
    public var status: ReleaseStatus
    /// The contract code behind the status (nil for a deployed release with nothing to say).
    public var reasonCode: ContractCode?
    /// Why the release is failed, bad, incomplete or invalid (nil when there is nothing to say).
    public var reason: String?

    public init(record: ReleaseRecord, currentID: ReleaseID?) {
        self.record = record
        (status, reasonCode, reason) = ReleaseStatus.derive(record, currentID: currentID)
    }

    public var id: ReleaseID { record.id }
    public var manifest: Manifest? { record.validManifest }

    /// The status ignoring the pointer (what `rollback --to` judges).
    public var underlyingStatus: ReleaseStatus { ReleaseStatus.underlying(record).0 }

    /// What reldash's JSON reading found wrong in a manifest the contract's rule accepts: shown,
    /// never a different status or target.
    public var warnings: [String] {
        record.manifestWarning.map { ["manifest.json: \($0) (the contract's rule accepts it: status unchanged)"] } ?? []
    }

    /// The slot (`blue` or `green`) its deploy started the release in: the manifest's `slot`,
    /// else release.env's `SLOT` (a deploy that died before its manifest); nil before the slots.
    public var slot: String? {
        if let slot = manifest?.slot, !slot.isEmpty { return slot }
        guard let slot = record.releaseEnv?["SLOT"], !slot.isEmpty else { return nil }
        return slot
    }

    /// The release's start time: the manifest's created_at, else the time in its id.
    public var createdAt: Timestamp {
        manifest?.createdAt ?? Timestamp(seconds: Double(id.epochSeconds))
    }
}
