import Dashboard
import Foundation
import ReleaseCore
import ReleaseTesting
import Testing

/// Screens as text plus a style layer (one letter per cell, see `StyleCode`), compared with
/// files in Snapshots/. Re-record on purpose after a deliberate change:
/// `RELDASH_RECORD_GOLDEN=1 swift test --filter DashboardTests`, then review the diff. Never edit
/// the files by hand.
@Suite("render snapshots")
struct RenderSnapshotTests {
    static let large = FrameSize(columns: 80, rows: 24)

    static func scene(_ name: String) -> (AppState, FrameSize) {
        switch name {
        case "list-80x24":
            return (Scene.loaded(), large)
        case "too-small-40x10":
            let small = FrameSize(columns: 40, rows: 10)
            return (Scene.loaded(size: small), small)
        case "dialog-80x24":
            var state = Scene.loaded()
            _ = Scene.press(&state, [.character("R")])
            return (state, large)
        case "prometheus-down-80x24":
            return (Scene.loaded(health: Scene.prometheusDown), large)
        case "script-running-80x24":
            var state = Scene.loaded(lock: Scene.heldLock)
            state.snapshot?.lock = nil
            _ = Scene.press(&state, [.character("R"), .character("y")])
            _ = Dashboard.reduce(&state, .scriptLine(ScriptOutputLine(stream: .stdout, text: "rollback.sh: step 1")))
            _ = Dashboard.reduce(&state, .scriptLine(ScriptOutputLine(stream: .stderr, text: "rollback.sh: warning")))
            return (state, large)
        case "lock-held-read-only-80x24":
            return (Scene.loaded(readOnly: true, lock: Scene.heldLock), large)
        case "help-80x24":
            var state = Scene.loaded()
            _ = Scene.press(&state, [.character("?")])
            return (state, large)
        case "list-120x40":
            let wide = FrameSize(columns: 120, rows: 40)
            return (Scene.loaded(size: wide), wide)
        case "empty-80x24":
            var state = Scene.loaded()
            let empty = DeploySnapshot(
                path: "deploy", catalog: Fixture.catalog([], current: nil), history: HistoryLog(), lock: nil)
            _ = Dashboard.reduce(&state, .releasesLoaded(.success(empty)))
            return (state, large)
        case "health-stale-80x24":
            var state = Scene.loaded()
            _ = Dashboard.reduce(&state, .tick(Scene.now.adding(95)))
            return (state, large)
        case "thousand-releases-80x24":
            var state = Scene.loaded()
            _ = Dashboard.reduce(&state, .releasesLoaded(.success(Scene.thousandReleases)))
            _ = Scene.press(&state, [.pageDown, .pageDown, .character("j")])
            return (state, large)
        case "list-200x60":
            let huge = FrameSize(columns: 200, rows: 60)
            return (Scene.loaded(size: huge), huge)
        case "diff-80x24":
            var state = Scene.loaded()
            _ = Dashboard.reduce(&state, .releasesLoaded(.success(Scene.snapshotWithFlags())))
            _ = Scene.press(&state, [.character("j"), .character("j"), .character("d")])
            return (state, large)
        case "diff-200x60":
            let huge = FrameSize(columns: 200, rows: 60)
            var state = Scene.loaded(size: huge)
            _ = Dashboard.reduce(&state, .releasesLoaded(.success(Scene.snapshotWithFlags())))
            _ = Scene.press(&state, [.character("j"), .character("j"), .character("d")])
            return (state, huge)
        case "filter-typing-80x24":
            var state = Scene.loaded()
            _ = Scene.press(&state, [.character("/"), .character("f"), .character("a"), .character("i")])
            return (state, large)
        case "filter-kept-1000-80x24":
            var state = Scene.loaded()
            _ = Dashboard.reduce(&state, .releasesLoaded(.success(Scene.thousandReleases)))
            _ = Scene.press(&state, [.character("/")] + "20261015".map { .character($0) } + [.enter])
            return (state, large)
        case "manifest-flags-config-120x40":
            let wide = FrameSize(columns: 120, rows: 40)
            var state = Scene.loaded(size: wide)
            _ = Dashboard.reduce(&state, .releasesLoaded(.success(Scene.snapshotWithFlags())))
            return (state, wide)
        default:
            return (Scene.loaded(), FrameSize(columns: 1, rows: 1))
        }
    }

    @Test(
        "screens match their snapshots",
        arguments: [
            "list-80x24", "list-120x40", "too-small-40x10", "dialog-80x24", "prometheus-down-80x24",
            "script-running-80x24", "lock-held-read-only-80x24", "help-80x24", "empty-80x24", "health-stale-80x24",
            "thousand-releases-80x24", "list-200x60", "diff-80x24", "diff-200x60", "filter-typing-80x24",
            "filter-kept-1000-80x24", "manifest-flags-config-120x40",
        ])
    func matchesSnapshot(name: String) throws {
        let (state, size) = Self.scene(name)
        let frame = Dashboard.render(state, size: size)
        let actual = FakeTerminal.text(of: frame) + "--- style\n" + FakeTerminal.styleLayer(of: frame)
        try Self.compare(actual, with: name + ".txt")
    }

    @Test("the too-small screen says the size it has and the size it needs")
    func tooSmallSaysSizes() {
        let (state, size) = Self.scene("too-small-40x10")
        let text = FakeTerminal.text(of: Dashboard.render(state, size: size))
        #expect(text.contains("Terminal too small: 40x10"))
        #expect(text.contains("needs at least 60x16"))
    }

    @Test("the dialog names the exact command and shows Cancel focused")
    func dialogNamesCommand() {
        let (state, size) = Self.scene("dialog-80x24")
        let frame = Dashboard.render(state, size: size)
        let lines = FakeTerminal.text(of: frame).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains { $0.contains("scripts/rollback.sh --to 20261124T160000Z") })
        guard let row = lines.firstIndex(where: { $0.contains("[ Cancel ]") }),
            let range = lines[row].range(of: "[ Cancel ]"),
            let other = lines[row].range(of: "[ Roll back ]")
        else {
            Issue.record("no buttons on the dialog")
            return
        }
        #expect(frame[row, lines[row].distance(from: lines[row].startIndex, to: range.lowerBound)].look.reverse)
        #expect(!frame[row, lines[row].distance(from: lines[row].startIndex, to: other.lowerBound)].look.reverse)
    }

    static func compare(_ actual: String, with name: String) throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Snapshots")
        let file = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RELDASH_RECORD_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: file, options: .atomic)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(
            actual == expected, "differs from Snapshots/\(name); re-record with RELDASH_RECORD_GOLDEN=1 if intended")
    }
}
