import ReleaseCore

/// The action log: the running script's lines as they come, and what reldash says around them.
enum LogPane {
    static func draw(_ frame: inout Frame, _ state: AppState, _ layout: Layout) {
        let width = layout.size.columns
        let running = state.running.map { "  running: \($0.command)" } ?? ""
        PaneTitle.draw(
            &frame, "Action log\(running)", focused: state.focus == .log, row: layout.logTop,
            column: 0, width: width)
        let room = layout.logRows - 1
        guard !state.log.isEmpty else {
            let hint =
                state.options.readOnly
                ? "read-only: nothing can run from here"
                : "nothing run yet: R rolls back, r rolls back to the selection"
            frame.draw(hint, .muted, row: layout.logTop + 1, column: 1, width: width - 1)
            return
        }
        for (offset, line) in state.log.suffix(room).enumerated() {
            frame.draw(line, row: layout.logTop + 1 + offset, column: 1, width: width - 1)
        }
    }
}
