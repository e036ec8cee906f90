/// What the deploy directory holds for one release, as read, before any status is derived.
public struct ReleaseRecord: Equatable, Sendable {
    /// The manifest as the contract's rule judged it, with reldash's JSON reading on top.
    public enum ManifestReading: Equatable, Sendable {
        /// No manifest.json: the deploy never finished (or is running now).
        case missing
        /// The manifest rule (`ManifestTextRule`) refuses it: the release is invalid.
        case rejected(ContractCode)
        /// The manifest rule accepts it with this outcome; `parsed` is the JSON reading, whose
        /// problem (if any) is shown as a warning and never changes the status.
        case accepted(failed: Bool, parsed: Result<Manifest, ManifestProblem>)

        /// Judges the file by the contract's rule, then reads its JSON when the rule accepts it.
        public init(_ file: ManifestFile, releaseID: ReleaseID) {
            let verdict = ManifestTextRule.verdict(file, releaseID: releaseID.rawValue)
            switch verdict {
            case .missing:
                self = .missing
            case .invalid(let code):
                self = .rejected(code)
            case .deployed, .failed:
                guard case .bytes(let bytes) = file else {
                    self = .rejected(.manifestUnreadable)
                    return
                }
                let parsed: Result<Manifest, ManifestProblem>
                do {
                    parsed = .success(try Manifest.parse(bytes))
                } catch {
                    parsed = .failure(error)
                }
                self = .accepted(failed: verdict == .failed, parsed: parsed)
            }
        }
    }

    public var id: ReleaseID
    public var manifest: ManifestReading
    public var badMarker: BadMarker?
    /// The `KEY=VALUE` lines of release.env; nil when it is absent or not a regular file (the
    /// deploy scripts then refuse to roll back to the release).
    public var releaseEnv: [String: String]?

    public init(
        id: ReleaseID, manifest: ManifestReading, badMarker: BadMarker? = nil, releaseEnv: [String: String]? = nil
    ) {
        self.id = id
        self.manifest = manifest
        self.badMarker = badMarker
        self.releaseEnv = releaseEnv
    }

    /// The keys a release.env must hold, non-empty, for a rollback to pin the release.
    public static let requiredReleaseEnvKeys = ["RELEASE_ID", "APP_ENV", "API_IMAGE", "COMPOSE_PROJECT_NAME"]

    /// Why release.env cannot pin a rollback to this release; nil when it can.
    public var releaseEnvProblem: ContractCode? {
        guard let releaseEnv else { return .releaseEnvMissing }
        if ReleaseRecord.requiredReleaseEnvKeys.contains(where: { (releaseEnv[$0] ?? "").isEmpty }) {
            return .releaseEnvIncomplete
        }
        return releaseEnv["RELEASE_ID"] == id.rawValue ? nil : .releaseEnvMismatch
    }

    /// The environment the release was deployed to (APP_ENV of release.env); nil when unknown.
    public var appEnvironment: String? {
        guard let value = releaseEnv?["APP_ENV"], !value.isEmpty else { return nil }
        return value
    }

    /// The manifest when the rule accepted it and its JSON could be read.
    public var validManifest: Manifest? {
        if case .accepted(_, .success(let manifest)) = manifest { return manifest }
        return nil
    }

    /// What the JSON reading found wrong in a manifest the rule accepted (shown as a warning).
    public var manifestWarning: ManifestProblem? {
        if case .accepted(_, .failure(let problem)) = manifest { return problem }
        return nil
    }
}
