import ReleaseCore

/// The dashboard's logic: a pure function of the state and one event, returning the effects to
/// run (their outcomes come back as events). Nothing here reads a disk, a clock or a network.
public enum Dashboard {
    /// The effects to run when the dashboard opens: read the tree and health, start the ticks.
    public static func start(_ state: inout AppState) -> [Effect] {
        state.treeInFlight = true
        state.treeScopeInFlight = .all
        state.healthInFlight = true
        return [
            .readDeployTree(.all), fetchHealth(state), .scheduleTick(after: 1),
        ]
    }

    /// Applies `event` to `state`; returns the effects to run next.
    public static func reduce(_ state: inout AppState, _ event: Event) -> [Effect] {
        switch event {
        case .key(let key):
            return KeyHandling.handle(&state, key)
        case .tick(let time):
            return tick(&state, time)
        case .releasesLoaded(.success(let read)):
            let selectedID = state.selectedRelease?.id
            let snapshot: DeploySnapshot
            if state.treeScopeInFlight == .summary, let full = state.snapshot {
                snapshot = merge(summary: read, into: full)
                // A release appeared or went: only a full read can list it.
                if read.catalog.total != full.catalog.total { state.needsFullTree = true }
            } else {
                snapshot = read
            }
            state.treeScopeInFlight = nil
            state.snapshot = snapshot
            state.treeFailure = nil
            state.treeFailures = 0
            state.treeInFlight = false
            state.treeReadAt = state.now
            let releases = snapshot.catalog.releases
            state.selected = selectedID.flatMap { id in releases.firstIndex { $0.id == id } } ?? 0
            state.selected = min(state.selected, max(0, releases.count - 1))
            return checkSelectedArtifacts(&state)
        case .releasesLoaded(.failure(let failure)):
            state.treeFailure = failure
            state.treeFailures += 1
            state.treeInFlight = false
            state.treeScopeInFlight = nil
            return []
        case .healthLoaded(let health):
            state.health = health
            state.healthFailures = health.unavailable == nil ? 0 : state.healthFailures + 1
            state.healthInFlight = false
            return []
        case .artifactsChecked(let id, let checks):
            state.artifacts[id] = checks
            state.artifactsInFlight.remove(id)
            return []
        case .scriptLine(let line):
            state.appendLog(StyledLine(line.text, line.stream == .stderr ? .warning : nil))
            return []
        case .scriptStopping(let number):
            state.appendLog(StyledLine("stopping the script (signal \(number)): SIGTERM, then SIGKILL", .warning))
            return []
        case .scriptExited(let summary):
            return scriptEnded(&state, summary)
        case .scriptRefused(let failure):
            state.running = nil
            state.appendLog(StyledLine("not run: \(failure.message)", .bad))
            state.message = StyledLine("not run: \(failure.message)", .bad)
            if state.quitting { state.done = true }
            return []
        case .resize(let size):
            state.size = size
            return []
        case .signal(let number):
            state.dialog = nil
            state.quitting = true
            state.receivedSignal = state.receivedSignal ?? number
            guard state.running != nil else {
                state.done = true
                return []
            }
            return [.stopScript(signal: number)]
        case .failure(let text):
            state.message = StyledLine(text, .bad)
            return []
        }
    }

    /// The health query sized to the health pane (one point per sparkline column).
    static func fetchHealth(_ state: AppState) -> Effect {
        .fetchHealth(range: state.options.healthRange, points: Layout(state.size).sparkWidth)
    }

    /// Reads now what a tick would read later (F5, Ctrl-R, after a script), unless already reading.
    static func refreshNow(_ state: inout AppState) -> [Effect] {
        var effects: [Effect] = []
        if !state.treeInFlight {
            effects.append(readTree(&state, .all))
        } else {
            state.needsFullTree = true
        }
        if !state.healthInFlight {
            state.healthInFlight = true
            state.ticksSinceHealth = 0
            effects.append(fetchHealth(state))
        }
        return effects
    }

    private static func tick(_ state: inout AppState, _ time: Timestamp) -> [Effect] {
        state.now = time
        state.ticksSinceTree += 1
        state.ticksSinceHealth += 1
        var effects: [Effect] = [.scheduleTick(after: 1)]
        // Polling pauses while a question is open: what the operator confirms is what they read.
        guard state.dialog == nil else { return effects }
        let treeEvery = AppState.backoff(state.options.treeInterval, failures: state.treeFailures)
        let healthEvery = AppState.backoff(state.options.healthInterval, failures: state.healthFailures)
        if !state.treeInFlight, state.needsFullTree || state.ticksSinceTree >= treeEvery {
            let full =
                state.needsFullTree || state.snapshot == nil
                || state.summariesSinceFullTree + 1 >= state.options.fullTreeEvery
            effects.append(readTree(&state, full ? .all : .summary))
        }
        if !state.healthInFlight, state.ticksSinceHealth >= healthEvery {
            state.healthInFlight = true
            state.ticksSinceHealth = 0
            effects.append(fetchHealth(state))
        }
        return effects
    }

    /// The effect that reads the tree in `scope`, with the bookkeeping that keeps one read at a time.
    private static func readTree(_ state: inout AppState, _ scope: CatalogScope) -> Effect {
        state.treeInFlight = true
        state.treeScopeInFlight = scope
        state.ticksSinceTree = 0
        if scope == .all {
            state.needsFullTree = false
            state.summariesSinceFullTree = 0
        } else {
            state.summariesSinceFullTree += 1
        }
        return .readDeployTree(scope)
    }

    /// The list of `full` with what `summary` read again (the pointer, the lock, the history, the
    /// current release and the rollback target's path): status and target recomputed over all.
    /// When the summary holds nothing new (the usual case between two deploys), `full` is kept as
    /// is instead of deriving every status again: with 1,000 releases, a summary read every 3 s
    /// cost 0.67 % of a core while idle before this shortcut (bench/reldash/tui.sh).
    public static func merge(summary: DeploySnapshot, into full: DeploySnapshot) -> DeploySnapshot {
        if summary.catalog.pointer == full.catalog.pointer, summary.lock == full.lock,
            summary.ignored == full.ignored, summary.path == full.path, summary.history == full.history,
            summary.catalog.releases.allSatisfy({ read in
                full.catalog.releases.first { $0.id == read.id }?.record == read.record
            })
        {
            return full
        }
        var records: [ReleaseID: ReleaseRecord] = [:]
        for release in full.catalog.releases { records[release.id] = release.record }
        for release in summary.catalog.releases { records[release.id] = release.record }
        let catalog = ReleaseCatalog(records: Array(records.values), pointer: summary.catalog.pointer)
        return DeploySnapshot(
            path: summary.path, catalog: catalog, history: summary.history, lock: summary.lock,
            ignored: summary.ignored)
    }

    /// Asks for the artifact checks of the selected release unless known or being checked.
    static func checkSelectedArtifacts(_ state: inout AppState) -> [Effect] {
        guard let release = state.selectedRelease, release.manifest?.artifacts.isEmpty == false,
            state.artifacts[release.id] == nil, !state.artifactsInFlight.contains(release.id)
        else { return [] }
        state.artifactsInFlight.insert(release.id)
        return [.checkArtifacts(release)]
    }

    private static func scriptEnded(_ state: inout AppState, _ summary: ScriptRunSummary) -> [Effect] {
        state.running = nil
        state.artifacts = [:]
        let name = summary.script.split(separator: "/").last.map(String.init) ?? summary.script
        let took = decimal(Double(summary.durationMilliseconds) / 1_000, places: 1)
        let change =
            summary.currentBefore == summary.currentAfter
            ? "current unchanged (\(summary.currentAfter ?? "none"))"
            : "current \(summary.currentBefore ?? "none") -> \(summary.currentAfter ?? "none")"
        let ok = summary.exitStatus == 0
        let line = StyledLine("\(name) exited \(summary.exitStatus) after \(took) s; \(change)", ok ? .good : .bad)
        state.appendLog(line)
        state.message = line
        if state.quitting {
            state.done = true
            return []
        }
        return refreshNow(&state)
    }
}
