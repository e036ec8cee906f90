import Dashboard
import ReleaseCore
import ReleaseTesting
import Testing

/// Ticks, data and script events: polls on time and never two of a kind at once, the script's
/// lines in the log, the tree read again after a script.
@Suite("reduce: events")
struct ReduceEventTests {
    @Test("start reads the tree, health and starts the ticks")
    func startAsksForEverything() {
        var state = AppState(options: DashboardOptions(), size: FrameSize(columns: 80, rows: 24))
        #expect(
            Dashboard.start(&state) == [
                .readDeployTree(.all), .fetchHealth(range: 900, points: 10), .scheduleTick(after: 1),
            ])
    }

    @Test("the tree is read every 3 ticks and health every interval, never while one is in flight")
    func pollsDoNotOverlap() {
        var state = AppState(options: DashboardOptions(healthInterval: 5), size: FrameSize(columns: 80, rows: 24))
        _ = Dashboard.start(&state)
        var asked: [Effect] = []
        for second in 1...10 {
            asked += Dashboard.reduce(&state, .tick(Scene.now.adding(Double(second))))
        }
        // Neither first read has come back: nothing is asked twice.
        #expect(asked.filter { $0 != .scheduleTick(after: 1) } == [])
        _ = Dashboard.reduce(&state, .releasesLoaded(.success(Scene.snapshot())))
        _ = Dashboard.reduce(&state, .healthLoaded(Scene.health))
        let next = Dashboard.reduce(&state, .tick(Scene.now.adding(11)))
        #expect(next == [.scheduleTick(after: 1), .readDeployTree(.summary), .fetchHealth(range: 900, points: 10)])
        let after = Dashboard.reduce(&state, .tick(Scene.now.adding(12)))
        #expect(after == [.scheduleTick(after: 1)])
    }

    @Test("tree polls read the summary, and the whole tree every 10th read")
    func summaryThenFull() {
        var state = Scene.loaded()
        var scopes: [CatalogScope] = []
        for second in 2...40 {
            for effect in Dashboard.reduce(&state, .tick(Scene.now.adding(Double(second)))) {
                guard case .readDeployTree(let scope) = effect else { continue }
                scopes.append(scope)
                _ = Dashboard.reduce(&state, .releasesLoaded(.success(Scene.snapshot())))
            }
        }
        #expect(scopes == Array(repeating: .summary, count: 9) + [.all] + [.summary, .summary, .summary])
    }

    @Test("a summary read is merged into the list: pointer and lock updated, every release kept")
    func summaryMerges() {
        var state = Scene.loaded()
        for second in 2...4 { _ = Dashboard.reduce(&state, .tick(Scene.now.adding(Double(second)))) }
        #expect(state.treeScopeInFlight == .summary)
        let full = Scene.snapshot()
        let moved = Fixture.catalog(
            [Fixture.record("20261124T181500Z", .deployed), Fixture.record("20261124T160000Z", .deployed)],
            current: "20261124T160000Z")
        let summary = DeploySnapshot(
            path: "deploy", catalog: moved, history: full.history, lock: Scene.heldLock)
        _ = Dashboard.reduce(&state, .releasesLoaded(.success(summary)))
        #expect(state.releases.count == 6)
        #expect(state.snapshot?.catalog.current?.id == Scene.target)
        #expect(state.snapshot?.lock == Scene.heldLock)
        // The summary's directory count (2) differs from the list's (6): the next tick reads all.
        #expect(state.needsFullTree)
        #expect(Dashboard.reduce(&state, .tick(Scene.now.adding(5))).contains(.readDeployTree(.all)))
    }

    @Test("a summary with nothing new keeps the list; a lock, or a release marked BAD, alone is seen")
    func summaryWithNothingNewAndOneChange() {
        let full = Scene.snapshot()
        let current = Fixture.record("20261124T181500Z", .deployed)
        let same = DeploySnapshot(
            path: full.path, catalog: Fixture.catalog([current], current: "20261124T181500Z"), history: full.history,
            lock: nil)
        #expect(Dashboard.merge(summary: same, into: full) == full)
        let locked = DeploySnapshot(
            path: full.path, catalog: same.catalog, history: full.history, lock: Scene.heldLock)
        #expect(Dashboard.merge(summary: locked, into: full).lock == Scene.heldLock)
        let marked = DeploySnapshot(
            path: full.path,
            catalog: Fixture.catalog([Fixture.record("20261124T181500Z", .bad)], current: "20261124T181500Z"),
            history: full.history, lock: nil)
        let merged = Dashboard.merge(summary: marked, into: full)
        #expect(merged.catalog.releases.first { $0.id == Scene.current }?.record.badMarker != nil)
        #expect(merged.catalog.releases.count == full.catalog.releases.count)
    }

    @Test("the selection follows its release when the tree changes")
    func selectionKeepsItsRelease() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.down, .down])
        var records = Scene.snapshot()
        let newer = Fixture.record("20261124T190000Z", .deployed)
        records.catalog = ReleaseCatalog(
            records: [newer] + records.catalog.releases.map(\.record), pointer: records.catalog.pointer)
        _ = Dashboard.reduce(&state, .releasesLoaded(.success(records)))
        #expect(state.selectedRelease?.id == Scene.target)
    }

    @Test("script lines stream into the log; its end is logged and the tree read again at once")
    func scriptOutputAndEnd() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("R"), .character("y")])
        _ = Dashboard.reduce(&state, .scriptLine(ScriptOutputLine(stream: .stdout, text: "switching current")))
        _ = Dashboard.reduce(&state, .scriptLine(ScriptOutputLine(stream: .stderr, text: "a warning")))
        let effects = Dashboard.reduce(&state, .scriptExited(ReduceKeyTests.summary(exit: 0)))
        #expect(state.running == nil)
        #expect(
            state.log.map(\.plainText) == [
                "$ scripts/rollback.sh --to 20261124T160000Z", "switching current", "a warning",
                "rollback.sh exited 0 after 1.2 s; current 20261124T181500Z -> 20261124T160000Z",
            ])
        #expect(state.log[2].spans.first?.tone == .warning)
        #expect(effects == [.readDeployTree(.all), .fetchHealth(range: 900, points: 10)])
    }

    @Test("a signal stops the running script, and quits when it has exited")
    func signalStopsScriptThenQuits() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("R"), .character("y")])
        #expect(Dashboard.reduce(&state, .signal(15)) == [.stopScript(signal: 15)])
        #expect(!state.done)
        _ = Dashboard.reduce(&state, .scriptStopping(15))
        _ = Dashboard.reduce(&state, .scriptExited(ReduceKeyTests.summary(exit: 143)))
        #expect(state.done)
    }

    @Test("a signal without a script quits at once")
    func signalQuits() {
        var state = Scene.loaded()
        #expect(Dashboard.reduce(&state, .signal(1)) == [])
        #expect(state.done)
    }

    @Test("a refused script is logged and the dashboard is idle again")
    func refusedScript() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("R"), .character("y")])
        _ = Dashboard.reduce(
            &state,
            .scriptRefused(
                AppFailure(code: "script_missing", message: "scripts/rollback.sh is missing", status: .precondition)))
        #expect(state.running == nil)
        #expect(state.log.last?.plainText == "not run: scripts/rollback.sh is missing")
    }
}

@Suite("reduce: signals")
struct ReduceSignalTests {
    @Test("the first signal is the one reldash exits with")
    func firstSignalIsKept() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("R"), .character("y")])
        _ = Dashboard.reduce(&state, .signal(2))
        _ = Dashboard.reduce(&state, .signal(15))
        #expect(state.receivedSignal == 2)
    }
}

@Suite("reduce: backoff")
struct ReduceBackoffTests {
    /// The seconds at which health is asked again over `seconds` ticks, each answered at once.
    static func healthPolls(answer: HealthSnapshot, seconds: Int) -> [Int] {
        var state = AppState(options: DashboardOptions(healthInterval: 5), size: FrameSize(columns: 80, rows: 24))
        _ = Dashboard.start(&state)
        _ = Dashboard.reduce(&state, .healthLoaded(answer))
        var polls: [Int] = []
        for second in 1...seconds {
            let effects = Dashboard.reduce(&state, .tick(Scene.now.adding(Double(second))))
            if effects.contains(where: { if case .fetchHealth = $0 { return true } else { return false } }) {
                polls.append(second)
                _ = Dashboard.reduce(&state, .healthLoaded(answer))
            }
        }
        return polls
    }

    @Test("a healthy Prometheus is asked every interval")
    func steadyInterval() {
        #expect(Self.healthPolls(answer: Scene.health, seconds: 20) == [5, 10, 15, 20])
    }

    @Test("an unreachable Prometheus is asked after 2, 4, then at most 8 intervals")
    func exponentialBackoff() {
        #expect(Self.healthPolls(answer: Scene.prometheusDown, seconds: 150) == [10, 30, 70, 110, 150])
    }
}
