import ReleaseCore

extension Dashboard {
    /// The screen for `state` at `size`: a pure function, compared as text in snapshot tests.
    public static func render(_ state: AppState, size: FrameSize) -> Frame {
        var frame = Frame(size: size)
        let layout = Layout(size)
        guard !layout.isTooSmall else {
            TooSmallView.draw(&frame, size: size)
            return frame
        }
        HeaderView.draw(&frame, state, layout)
        ReleasesPane.draw(&frame, state, layout)
        for row in layout.bodyTop..<layout.logTop {
            frame.draw(state.options.glyphs == .unicode ? "│" : "|", .muted, row: row, column: layout.leftWidth)
        }
        ManifestPane.draw(&frame, state, layout)
        HealthPane.draw(&frame, state, layout)
        LogPane.draw(&frame, state, layout)
        StatusLine.draw(&frame, state, layout)
        if state.showDiff { DiffView.draw(&frame, state, layout) }
        if state.showHelp { HelpView.draw(&frame, state, layout) }
        if let dialog = state.dialog { DialogView.draw(&frame, dialog, layout) }
        return frame
    }
}

/// A pane's title row: reverse video when the pane has the focus, strong otherwise.
enum PaneTitle {
    static func draw(_ frame: inout Frame, _ title: String, focused: Bool, row: Int, column: Int, width: Int) {
        frame.draw(
            " " + title, focused ? nil : .strong, row: row, column: column, width: width, reverse: focused,
            pad: true)
    }
}

/// "Terminal too small": the size it has and the size it needs.
enum TooSmallView {
    static func draw(_ frame: inout Frame, size: FrameSize) {
        let need = Layout.minimum
        let lines = [
            StyledLine("Terminal too small: \(size.columns)x\(size.rows)", .warning),
            StyledLine("reldash needs at least \(need.columns)x\(need.rows)"),
            StyledLine("Enlarge the window, or q to quit", .muted),
        ]
        let top = max(0, (size.rows - lines.count) / 2)
        for (offset, line) in lines.enumerated() {
            frame.draw(line, row: top + offset, column: max(0, (size.columns - line.width) / 2))
        }
    }
}

/// Row 0: what this dashboard looks at, in reverse video.
enum HeaderView {
    static func draw(_ frame: inout Frame, _ state: AppState, _ layout: Layout) {
        var line = StyledLine(" reldash")
        if let snapshot = state.snapshot {
            line.append("  current \(snapshot.catalog.current?.id.rawValue ?? "none")")
        }
        if let health = state.health {
            line.append("  health \(health.verdict(now: state.now ?? health.fetchedAt).0.rawValue)")
        }
        if state.options.readOnly { line.append("  [read-only]") }
        if let snapshot = state.snapshot { line.append("  \(snapshot.path)") }
        let help = " ? help "
        let room = layout.size.columns - help.count
        frame.draw(line, row: 0, column: 0, width: room, reverse: true, pad: true)
        frame.draw(help, row: 0, column: room, reverse: true)
    }
}
