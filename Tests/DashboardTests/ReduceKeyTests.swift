import Dashboard
import ReleaseCore
import ReleaseTesting
import Testing

/// What each key does in each mode, as state changes and effects asked.
@Suite("reduce: keys")
struct ReduceKeyTests {
    /// One row of a key table: keys pressed from a scene, and what must hold after.
    struct Row: CustomTestStringConvertible, Sendable {
        let name: String
        let keys: [Key]
        let selected: Int?
        let focus: Pane?
        let effects: [Effect]

        var testDescription: String { name }
    }

    static let listTable: [Row] = [
        Row(name: "j moves down", keys: [.character("j")], selected: 1, focus: .releases, effects: []),
        Row(name: "down arrow moves down", keys: [.down, .down], selected: 2, focus: .releases, effects: []),
        Row(name: "k at the top stays", keys: [.character("k")], selected: 0, focus: .releases, effects: []),
        Row(name: "up arrow moves up", keys: [.down, .up], selected: 0, focus: .releases, effects: []),
        Row(name: "G goes to the oldest", keys: [.character("G")], selected: 5, focus: .releases, effects: []),
        Row(name: "End goes to the oldest", keys: [.end], selected: 5, focus: .releases, effects: []),
        Row(
            name: "g goes back to the newest", keys: [.character("G"), .character("g")], selected: 0,
            focus: .releases, effects: []),
        Row(name: "PgDn stops at the oldest", keys: [.pageDown], selected: 5, focus: .releases, effects: []),
        Row(name: "Tab focuses the manifest", keys: [.tab], selected: 0, focus: .manifest, effects: []),
        Row(
            name: "Tab cycles back to the releases", keys: [.tab, .tab, .tab, .tab], selected: 0,
            focus: .releases, effects: []),
        Row(name: "S-Tab goes to the log", keys: [.backTab], selected: 0, focus: .log, effects: []),
        Row(
            name: "j in the manifest pane scrolls, keeps the selection", keys: [.tab, .character("j")],
            selected: 0, focus: .manifest, effects: []),
        Row(
            name: "F5 reads both now", keys: [.f5], selected: 0, focus: .releases,
            effects: [.readDeployTree(.all), .fetchHealth(range: 900, points: 10)]),
        Row(
            name: "Ctrl-R reads both now", keys: [.ctrl("r")], selected: 0, focus: .releases,
            effects: [.readDeployTree(.all), .fetchHealth(range: 900, points: 10)]),
        Row(
            name: "an unknown key does nothing", keys: [.character("x")], selected: 0, focus: .releases,
            effects: []),
    ]

    @Test("list mode", arguments: listTable)
    func listMode(row: Row) {
        var state = Scene.loaded()
        let effects = (Scene.press(&state, row.keys).last ?? []).filter { !$0.isArtifactCheck }
        if let selected = row.selected { #expect(state.selected == selected) }
        if let focus = row.focus { #expect(state.focus == focus) }
        #expect(effects == row.effects)
        #expect(state.dialog == nil)
    }

    @Test("selecting a release checks its artifacts once; the checks show in the manifest pane")
    func selectionChecksArtifacts() {
        var state = Scene.loaded()
        let first = Scene.press(&state, [.down]).flatMap { $0 }
        #expect(first.filter(\.isArtifactCheck).count == 1)
        let again = Scene.press(&state, [.up, .down]).flatMap { $0 }
        #expect(again.filter(\.isArtifactCheck).isEmpty)
        let check = ArtifactCheck(
            path: "docker-compose.yml", expectedSHA256: String(repeating: "a", count: 64), actualSHA256: nil,
            state: .missing, detail: "no such file")
        _ = Dashboard.reduce(&state, .artifactsChecked(Fixture.id("20261124T170000Z"), [check]))
        _ = Scene.press(&state, [.tab] + Array(repeating: Key.character("j"), count: 20))
        let text = FakeTerminal.text(of: Dashboard.render(state, size: state.size))
        #expect(text.contains("missing  docker-compose.yml"))
    }

    @Test("R opens the confirm dialog on the default target, Cancel focused, nothing run")
    func rollbackKeyAsksFirst() {
        var state = Scene.loaded()
        let effects = Scene.press(&state, [.character("R")])
        #expect(effects == [[]])
        #expect(
            state.dialog
                == .confirm(
                    action: .rollback(to: Scene.target, passthrough: []),
                    command: "scripts/rollback.sh --to 20261124T160000Z",
                    serving: "20261124T160000Z will serve (dev, 1.0.0, 0123456)", confirmFocused: false))
    }

    @Test("r on the selected release asks for that release")
    func selectedRollbackAsksForSelection() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.down, .down, .character("r")])
        guard case .confirm(let action, let command, _, _) = state.dialog else {
            Issue.record("no dialog: \(String(describing: state.message))")
            return
        }
        #expect(action == .rollback(to: Scene.target, passthrough: []))
        #expect(command == "scripts/rollback.sh --to 20261124T160000Z")
    }

    @Test("r on a bad release is refused with the contract's reason, no dialog")
    func selectedBadReleaseIsRefused() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.down, .character("r")])
        #expect(state.dialog == nil)
        #expect(state.message?.plainText.contains("target_bad") == true)
    }

    static let dialogTable: [(String, [Key], Bool)] = [
        ("n cancels", [.character("n")], false),
        ("Esc cancels", [.escape], false),
        ("Enter presses Cancel (focused by default)", [.enter], false),
        ("y confirms", [.character("y")], true),
        ("Tab then Enter confirms", [.tab, .enter], true),
        ("Tab twice then Enter cancels", [.tab, .tab, .enter], false),
    ]

    @Test("dialog open", arguments: dialogTable)
    func dialogMode(name: String, keys: [Key], runs: Bool) {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("R")])
        let effects = Scene.press(&state, keys).flatMap { $0 }
        #expect(state.dialog == nil, "\(name)")
        if runs {
            #expect(effects == [.runScript(.rollback(to: Scene.target, passthrough: []))])
            #expect(state.running != nil)
            #expect(state.log.last?.plainText == "$ scripts/rollback.sh --to 20261124T160000Z")
        } else {
            #expect(effects == [])
            #expect(state.running == nil)
            #expect(state.message?.plainText == "cancelled: nothing was run")
        }
    }

    @Test("the dialog ignores navigation and polling pauses while it is open")
    func dialogPausesPolling() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("R"), .character("j"), .character("G")])
        #expect(state.selected == 0)
        var effects: [Effect] = []
        for second in 1...30 {
            effects += Dashboard.reduce(&state, .tick(Scene.now.adding(Double(second))))
        }
        #expect(effects.allSatisfy { $0 == .scheduleTick(after: 1) })
        #expect(state.dialog != nil)
    }

    static let runningKeys: [Key] = [.character("R"), .character("r"), .character("D")]

    @Test("script running: R, r and D are refused", arguments: runningKeys)
    func runningRefusesActions(key: Key) {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("R"), .character("y")])
        let effects = Scene.press(&state, [key])
        #expect(effects == [[]])
        #expect(state.dialog == nil)
        #expect(state.message?.plainText.contains("a script is running") == true)
    }

    @Test("script running: q asks, n keeps watching, y stops the script and quits when it has ended")
    func quitWhileRunningAsks() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("R"), .character("y"), .character("q")])
        #expect(state.dialog == .quitWhileRunning)
        _ = Scene.press(&state, [.character("n")])
        #expect(state.dialog == nil)
        #expect(!state.done)
        let effects = Scene.press(&state, [.character("q"), .character("y")])
        #expect(effects.last == [.stopScript(signal: 15)])
        #expect(!state.done)
        _ = Dashboard.reduce(&state, .scriptExited(Self.summary(exit: 143)))
        #expect(state.done)
    }

    @Test("q without a script quits at once")
    func quitWithoutScript() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("q")])
        #expect(state.done)
    }

    @Test("read-only: R, r and D do nothing but say so", arguments: runningKeys)
    func readOnlyRemovesActions(key: Key) {
        var state = Scene.loaded(readOnly: true)
        let effects = Scene.press(&state, [key])
        #expect(effects == [[]])
        #expect(state.dialog == nil)
        #expect(state.message?.plainText.contains("read-only") == true)
    }

    @Test("lock held: R and D are refused and name the holder", arguments: [Key.character("R"), .character("D")])
    func lockHeldRefusesActions(key: Key) {
        var state = Scene.loaded(lock: Scene.heldLock)
        _ = Scene.press(&state, [key])
        #expect(state.dialog == nil)
        #expect(state.message?.plainText.contains("held by ops@host") == true)
    }

    @Test("help: ? opens it, any key closes it without acting")
    func helpCloses() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("?")])
        #expect(state.showHelp)
        let effects = Scene.press(&state, [.character("R")])
        #expect(!state.showHelp)
        #expect(state.dialog == nil)
        #expect(effects == [[]])
    }

    @Test("d opens the diff of the selected release; j/k move the selection under it; d, Esc, q close it")
    func diffMode() {
        var state = Scene.loaded()
        _ = Dashboard.reduce(&state, .releasesLoaded(.success(Scene.snapshotWithFlags())))
        _ = Scene.press(&state, [.character("d")])
        #expect(state.showDiff)
        #expect(state.diff?.changes.isEmpty == true)
        _ = Scene.press(&state, [.character("j"), .character("j")])
        #expect(state.showDiff && state.selected == 2)
        #expect(state.diff?.changes.map(\.name).contains("flag task_search") == true)
        #expect(state.diff?.changes.map(\.name).contains("config LOG_LEVEL") == true)
        #expect(Scene.press(&state, [.character("R")]) == [[]])
        #expect(state.dialog == nil, "R does nothing while the diff is open")
        for close in [Key.character("d"), .escape, .character("q")] {
            if !state.showDiff { _ = Scene.press(&state, [.character("d")]) }
            #expect(state.showDiff)
            _ = Scene.press(&state, [close])
            #expect(!state.showDiff && !state.done, "\(close) closes the diff, never quits")
        }
    }

    static let filterTable: [(String, [Key], Int, String?, Bool)] = [
        ("typing narrows the list", [.character("/"), .character("f"), .character("a")], 1, "fa", true),
        ("no match leaves an empty list", [.character("/"), .character("#")], 0, "#", true),
        ("Backspace widens it again", [.character("/"), .character("#"), .backspace], 6, "", true),
        ("Enter keeps the filter", [.character("/"), .character("b"), .character("a"), .enter], 1, "ba", false),
        ("Esc while typing clears it", [.character("/"), .character("b"), .escape], 6, nil, false),
        ("Esc after Enter clears it", [.character("/"), .character("b"), .enter, .escape], 6, nil, false),
        ("Enter on an empty filter removes it", [.character("/"), .enter], 6, nil, false),
        ("q while typing is text, not quit", [.character("/"), .character("q")], 0, "q", true),
        (
            "status and release id both match", [.character("/")] + "1600".map { .character($0) }, 1, "1600",
            true
        ),
    ]

    @Test("filter", arguments: filterTable)
    func filterMode(name: String, keys: [Key], shown: Int, filter: String?, editing: Bool) {
        var state = Scene.loaded()
        _ = Scene.press(&state, keys)
        #expect(state.releases.count == shown)
        #expect(state.filter == filter)
        #expect(state.filterEditing == editing)
        #expect(!state.done)
    }

    @Test("the filter keeps the selection on the release once cleared, and r acts on the filtered selection")
    func filterSelection() {
        var state = Scene.loaded()
        _ = Scene.press(&state, [.character("/")] + "160000".map { .character($0) } + [.enter])
        #expect(state.selectedRelease?.id == Scene.target)
        _ = Scene.press(&state, [.character("r")])
        if case .confirm(_, let command, _, _) = state.dialog {
            #expect(command.hasSuffix("--to \(Scene.target)"))
        } else {
            Issue.record("r on the filtered selection did not ask")
        }
        _ = Scene.press(&state, [.escape, .escape])
        #expect(state.filter == nil)
        #expect(state.selectedRelease?.id == Scene.target)
    }

    static func summary(exit: Int32) -> ScriptRunSummary {
        ScriptRunSummary(
            command: "rollback", script: "scripts/rollback.sh", arguments: ["--to", Scene.target.rawValue],
            exitCode: exit, signal: nil, cancelled: false, durationMilliseconds: 1_200,
            currentBefore: Scene.current.rawValue, currentAfter: Scene.target.rawValue, stdoutLines: 1,
            stderrLines: 0, receivedSignal: nil)
    }
}

extension Effect {
    var isArtifactCheck: Bool {
        if case .checkArtifacts = self { return true }
        return false
    }
}
