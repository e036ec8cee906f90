/// A release with its derived status: what every view shows.
public struct Release: Equatable, Sendable {
    public var record: ReleaseRecord
    public var status: ReleaseStatus
    /// Why the release is failed, bad, incomplete or invalid (nil when there is nothing to say).
    public var reason: String?

    public init(record: ReleaseRecord, currentID: ReleaseID?) {
        self.record = record
        (status, reason) = ReleaseStatus.derive(record, currentID: currentID)
    }

    public var id: ReleaseID { record.id }
    public var manifest: Manifest? { record.validManifest }

    /// True when a rollback may land on this release: deployed manifest, no BAD marker, a
    /// release.env (what scripts/rollback.sh requires).
    public var isRollbackTarget: Bool {
        status == .deployed && record.releaseEnv != nil
    }

    /// The release's start time: the manifest's created_at, else the time in its id.
    public var createdAt: Timestamp {
        manifest?.createdAt ?? Timestamp(seconds: Double(id.epochSeconds))
    }
}
