/// The JSON shape of a release in every `--json` document (see docs/reldash.md).
public enum ReleaseJSON {
    /// The version of every `--json` document; bumped only when a field changes meaning or goes.
    public static let schemaVersion: Int64 = 1

    /// One release: identity, derived status and the manifest's main fields (null when unknown).
    public static func summary(_ release: Release, catalog: ReleaseCatalog, now: Timestamp) -> JSONValue {
        let manifest = release.manifest
        let images: JSONValue = .array(
            (manifest?.images ?? []).map { image in
                .object([
                    ("id", .optional(image.id)), ("ref", .optional(image.ref)), ("service", .optional(image.service)),
                ])
            })
        let gate: JSONValue =
            manifest?.healthGate.map { gate in
                .object([
                    ("attempts", .optional(gate.attempts)), ("duration_ms", .optional(gate.durationMilliseconds)),
                    ("status", .optional(gate.status)), ("url", .optional(gate.url)),
                ])
            } ?? .null
        let createdAt = release.createdAt
        // Members in key order: the writer then has nothing to sort (10,000 of these per listing).
        return .object([
            ("age_seconds", .integer(Int64(max(0, now.seconds(since: createdAt)).rounded(.down)))),
            ("app_version", .optional(manifest?.appVersion)),
            ("bad", release.record.badMarker?.json ?? .null),
            ("created_at", .string(createdAt.rfc3339)),
            ("deployed_by", .optional(manifest?.deployedBy)),
            ("duration_ms", .optional(manifest?.durationMilliseconds)),
            ("environment", .optional(manifest?.environment)),
            ("finished_at", .optional(manifest?.finishedAt?.rfc3339)),
            ("git_branch", .optional(manifest?.git?.branch)),
            ("git_commit", .optional(manifest?.git?.commit)),
            ("git_dirty", .optional(manifest?.git?.dirty)),
            ("git_short", .optional(manifest?.git?.short)),
            ("health_gate", gate),
            ("id", .string(release.id.rawValue)),
            ("images", images),
            ("is_current", .bool(release.status == .current)),
            ("is_rollback_candidate", .bool(catalog.rollbackCandidate.id == release.id)),
            ("previous_release", .optional(manifest?.previousRelease)),
            ("reason", .optional(release.reason)),
            ("reason_code", .optional(release.reasonCode?.rawValue)),
            ("slot", .optional(release.slot)),
            ("status", .string(release.status.rawValue)),
        ])
    }

    /// `{"code": ..., "message": ...}` for an error or refusal inside a document.
    public static func problem(code: String, message: String) -> JSONValue {
        .object([("code", .string(code)), ("message", .string(message))])
    }
}
