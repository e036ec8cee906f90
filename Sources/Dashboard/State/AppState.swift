import ReleaseCore

/// The panes Tab moves between.
public enum Pane: Int, CaseIterable, Sendable {
    case releases
    case manifest
    case health
    case log
}

/// A question on top of the panes; while one is open, polling pauses.
public enum Dialog: Equatable, Sendable {
    /// Run `action`; `command` is what will run, word for word; Cancel is focused unless
    /// `confirmFocused`.
    case confirm(action: ScriptAction, command: String, serving: String, confirmFocused: Bool)
    /// `q` while a script runs.
    case quitWhileRunning
}

/// What the dashboard was started with.
public struct DashboardOptions: Equatable, Sendable {
    /// `--read-only`: no deploy or rollback keys.
    public var readOnly: Bool
    /// Seconds between health polls (`--interval`).
    public var healthInterval: Int
    /// Seconds between deploy tree reads (the summary: pointer, lock, history, current and
    /// rollback target).
    public var treeInterval: Int
    /// Every this many tree reads, the whole tree is read (every release's files); also at start,
    /// on F5 and after a script.
    public var fullTreeEvery: Int
    /// Sparkline range in seconds.
    public var healthRange: Double
    public var glyphs: GlyphSet
    /// Where the scripts are, as the dialog names them (`scripts/rollback.sh`).
    public var scriptsDirectory: String

    public init(
        readOnly: Bool = false, healthInterval: Int = 15, treeInterval: Int = 3, fullTreeEvery: Int = 10,
        healthRange: Double = 900,
        glyphs: GlyphSet = .unicode, scriptsDirectory: String = "scripts"
    ) {
        self.readOnly = readOnly
        self.healthInterval = max(1, healthInterval)
        self.treeInterval = max(1, treeInterval)
        self.fullTreeEvery = max(1, fullTreeEvery)
        self.healthRange = healthRange
        self.glyphs = glyphs
        self.scriptsDirectory = scriptsDirectory
    }
}

/// The whole state of the dashboard: a value, changed only by `reduce`, drawn by `render`.
public struct AppState: Equatable, Sendable {
    public var options: DashboardOptions
    public var size: FrameSize
    public var now: Timestamp?
    public var snapshot: DeploySnapshot?
    public var treeFailure: AppFailure?
    public var health: HealthSnapshot?
    /// Artifact checks of the releases selected so far (asked once per release, again after a
    /// script ran).
    public var artifacts: [ReleaseID: [ArtifactCheck]] = [:]
    /// Releases whose artifacts are being checked.
    public var artifactsInFlight: Set<ReleaseID> = []
    public var selected = 0
    public var focus: Pane = .releases
    public var manifestScroll = 0
    public var dialog: Dialog?
    public var showHelp = false
    /// `d`: the manifest pane shows the selected release against the current one.
    public var showDiff = false
    /// `/`: the text the releases list is filtered by (nil: no filter).
    public var filter: String?
    /// True while the filter is typed (keys go to it; Enter keeps it, Esc clears it).
    public var filterEditing = false
    /// The running script's action, nil when none runs.
    public var running: ScriptAction?
    /// The action log: the script's lines and what reldash says about them (last 200 kept).
    public var log: [StyledLine] = []
    /// A one-line message for the status line (a refusal, a result).
    public var message: StyledLine?
    public var treeInFlight = false
    /// The scope of the tree read in flight (a summary is merged into the list, `.all` replaces it).
    public var treeScopeInFlight: CatalogScope?
    /// Summary reads since the last full one; `needsFullTree` asks for a full one at the next tick.
    public var summariesSinceFullTree = 0
    public var needsFullTree = false
    public var healthInFlight = false
    /// Ticks since the last read of each kind was asked.
    public var ticksSinceTree = 0
    public var ticksSinceHealth = 0
    /// Failed polls in a row of each kind: the next one waits 2, 4, then 8 times longer.
    public var treeFailures = 0
    public var healthFailures = 0
    /// When the tree was last read (for "data age").
    public var treeReadAt: Timestamp?
    /// Set when the dashboard should end (after the script, when one runs).
    public var quitting = false
    /// True once the loop may exit: quit asked and no script running.
    public var done = false
    /// The signal that ended the dashboard (reldash then exits 128 + it, as `reldash rollback`).
    public var receivedSignal: Int32?

    public static let logLimit = 200

    public init(options: DashboardOptions, size: FrameSize) {
        self.options = options
        self.size = size
    }

    /// The releases shown, newest first: those that match the filter when there is one.
    public var releases: [Release] {
        let all = snapshot?.catalog.releases ?? []
        guard let filter, !filter.isEmpty else { return all }
        return all.filter { Self.release($0, matches: filter) }
    }

    /// True when `text` (case-insensitive) is in the release's id, status, reason, environment,
    /// version or commit: what the list rows show.
    public static func release(_ release: Release, matches text: String) -> Bool {
        let needle = text.lowercased()
        let manifest = release.manifest
        let fields: [String?] = [
            release.id.rawValue, release.status.rawValue, release.reasonCode?.rawValue, manifest?.environment,
            manifest?.appVersion, manifest?.git?.short,
        ]
        return fields.contains { $0?.lowercased().contains(needle) == true }
    }

    /// The release `d` compares against (the current one).
    public var diff: ReleaseDiff? {
        guard let selected = selectedRelease, let current = snapshot?.catalog.current else { return nil }
        return ReleaseDiff(base: current, other: selected)
    }

    public var selectedRelease: Release? {
        releases.indices.contains(selected) ? releases[selected] : nil
    }

    /// The lock that blocks deploys and rollbacks (a stale one does not: the next deploy clears it).
    public var blockingLock: LockHolder? {
        guard let lock = snapshot?.lock, lock.state != .stale else { return nil }
        return lock
    }

    /// Ticks between two polls after `failures` failures in a row: the interval, doubled per
    /// failure up to 8 times (a down Prometheus is not hammered, a recovered one is seen soon).
    public static func backoff(_ interval: Int, failures: Int) -> Int {
        interval << min(3, max(0, failures))
    }

    /// Adds lines to the action log, keeping the last `logLimit`.
    public mutating func appendLog(_ line: StyledLine) {
        log.append(line)
        if log.count > Self.logLimit { log.removeFirst(log.count - Self.logLimit) }
    }
}
