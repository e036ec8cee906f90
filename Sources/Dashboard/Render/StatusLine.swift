import ReleaseCore

/// The last two rows: the lock, the last history event and the data age; then the latest
/// message, or the keys.
enum StatusLine {
    static func draw(_ frame: inout Frame, _ state: AppState, _ layout: Layout) {
        var status = StyledLine(" ")
        if let now = state.now {
            let tree = state.treeReadAt.map { DurationText.format(seconds: max(0, now.seconds(since: $0))) }
            let health = state.health.map { DurationText.format(seconds: max(0, now.seconds(since: $0.fetchedAt))) }
            status.append("data age: tree \(tree ?? "-"), health \(health ?? "-")  ", .muted)
        }
        if let snapshot = state.snapshot {
            if let lock = snapshot.lock {
                status.append("lock held by \(lock.summary)", lock.state == .stale ? .muted : .warning)
            } else {
                status.append("lock free", .muted)
            }
            if let event = snapshot.history.entries.last {
                let parts = [event.event, event.releaseID, event.time.map { "at \($0)" }].compactMap { $0 }
                status.append("  last: " + parts.joined(separator: " "), .muted)
            }
        }
        frame.draw(status, row: layout.statusRow, column: 0, width: layout.size.columns)
        if state.filterEditing {
            var prompt = StyledLine(" /\(state.filter ?? "")", .strong)
            prompt.append("_   Enter keep the filter  Esc clear it", .muted)
            frame.draw(prompt, row: layout.keysRow, column: 0)
            return
        }
        if let message = state.message {
            frame.draw(StyledLine([StyledSpan(" ")] + message.spans), row: layout.keysRow, column: 0)
            return
        }
        let keys =
            state.options.readOnly
            ? " j/k move  / filter  d diff  Tab pane  F5 refresh  ? help  q quit"
            : " j/k move  / filter  d diff  R roll back  r selected  D deploy  ? help  q quit"
        frame.draw(keys, .muted, row: layout.keysRow, column: 0)
    }
}
