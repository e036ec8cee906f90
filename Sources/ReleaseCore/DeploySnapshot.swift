/// An entry of deploy/releases that is not a release, and the contract code that says why.
public struct IgnoredEntry: Equatable, Sendable {
    public var name: String
    public var code: ContractCode

    public init(name: String, code: ContractCode) {
        self.name = name
        self.code = code
    }
}

/// Everything read from a deploy directory at one moment.
public struct DeploySnapshot: Equatable, Sendable {
    /// The directory as given (shown in output).
    public var path: String
    public var catalog: ReleaseCatalog
    public var history: HistoryLog
    /// deploy/.lock/, nil when it is free.
    public var lock: LockHolder?
    /// Entries of releases/ that are not releases (e.g. `releases/notes.txt`).
    public var ignored: [IgnoredEntry]

    public init(
        path: String, catalog: ReleaseCatalog, history: HistoryLog, lock: LockHolder?, ignored: [IgnoredEntry] = []
    ) {
        self.path = path
        self.catalog = catalog
        self.history = history
        self.lock = lock
        self.ignored = ignored
    }

    /// Every problem worth telling the operator: the pointer, ignored entries, manifests the
    /// contract accepts but reldash cannot fully read, bad history lines.
    public var allWarnings: [String] {
        catalog.pointerProblems
            + ignored.map { "ignored releases/\($0.name): \($0.code)" }
            + catalog.releases.flatMap { release in release.warnings.map { "release \(release.id): \($0)" } }
            + history.problems.map { "history.jsonl \($0)" }
    }
}

/// The result of checking one artifact of a release against the sha256 in its manifest.
public struct ArtifactCheck: Equatable, Sendable {
    public enum State: String, Equatable, Sendable {
        case ok
        case mismatch
        case missing
        case unreadable
        /// The path leaves the release directory (absolute, or with `..`): not read.
        case unsafePath = "unsafe_path"
    }

    public var path: String
    public var expectedSHA256: String
    public var actualSHA256: String?
    public var state: State
    public var detail: String?

    public init(path: String, expectedSHA256: String, actualSHA256: String?, state: State, detail: String? = nil) {
        self.path = path
        self.expectedSHA256 = expectedSHA256
        self.actualSHA256 = actualSHA256
        self.state = state
        self.detail = detail
    }

    /// True for a path that stays inside the release directory.
    public static func isSafe(_ path: String) -> Bool {
        guard !path.isEmpty, !path.hasPrefix("/"), !path.contains("\\") else { return false }
        return !path.split(separator: "/").contains("..")
    }

    public var json: JSONValue {
        .object([
            ("path", .string(path)), ("expected_sha256", .string(expectedSHA256)),
            ("actual_sha256", .optional(actualSHA256)), ("state", .string(state.rawValue)),
            ("detail", .optional(detail)),
        ])
    }
}
