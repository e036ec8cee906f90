import Dashboard
import ReleaseCore
import Testing

/// Frames: wide characters take two cells; the diff writes only what changed.
@Suite("Frame and diff")
struct FrameTests {
    @Test("a double-width character takes its cell and a continuation")
    func wideCharacters() {
        var frame = Frame(size: FrameSize(columns: 6, rows: 1))
        frame.draw("a界b", row: 0, column: 0)
        #expect(frame[0, 1] == Cell("界", width: 2))
        #expect(frame[0, 2].isContinuation)
        #expect(FakeTerminal.text(of: frame) == "a界b\n")
    }

    @Test("text is clipped to the width given, never past the edge")
    func clipping() {
        var frame = Frame(size: FrameSize(columns: 5, rows: 1))
        frame.draw("abcdefgh", row: 0, column: 2)
        #expect(FakeTerminal.text(of: frame) == "  abc\n")
    }

    @Test("the first frame writes every cell, an identical one none, one change one run")
    func diffWritesOnlyChanges() {
        let size = FrameSize(columns: 10, rows: 3)
        var terminal = FakeTerminal(size: size)
        var frame = Frame(size: size)
        frame.draw("hello", row: 1, column: 0)
        terminal.show(frame)
        #expect(terminal.lastCellsWritten == 30)
        terminal.show(frame)
        #expect(terminal.lastCellsWritten == 0)
        frame.draw("J", row: 1, column: 0)
        #expect(FrameDiff.runs(from: terminal.screen, to: frame) == [FrameRun(row: 1, column: 0, cells: [Cell("J")])])
        terminal.show(frame)
        #expect(terminal.lastCellsWritten == 1)
        #expect(terminal.text.hasPrefix("\nJello\n"))
    }

    @Test("an idle tick that changes only the data age rewrites only the status line's changed cells")
    func idleRefreshIsSmall() {
        var state = Scene.loaded()
        var terminal = FakeTerminal(size: state.size)
        terminal.show(Dashboard.render(state, size: state.size))
        _ = Dashboard.reduce(&state, .tick(Scene.now.adding(5)))
        terminal.show(Dashboard.render(state, size: state.size))
        #expect(terminal.lastCellsWritten > 0)
        #expect(terminal.lastCellsWritten < 20)
    }
}

@Suite("Frame diff over a session")
struct FrameSessionTests {
    @Test("writing only the runs leaves the terminal showing exactly the last frame, every step")
    func runsRebuildEveryFrame() {
        var state = Scene.loaded()
        var terminal = FakeTerminal(size: state.size)
        let steps: [Event] = [
            .key(.down), .key(.character("G")), .key(.character("R")), .key(.tab), .key(.escape),
            .key(.character("?")), .key(.character("x")), .healthLoaded(Scene.prometheusDown),
            .key(.character("R")), .key(.character("y")),
            .scriptLine(ScriptOutputLine(stream: .stdout, text: "界 wide text in the log")),
            .resize(FrameSize(columns: 100, rows: 30)), .key(.up),
        ]
        for event in steps {
            _ = Dashboard.reduce(&state, event)
            let frame = Dashboard.render(state, size: state.size)
            terminal.show(frame)
            #expect(terminal.screen == frame, "after \(event)")
        }
    }
}
