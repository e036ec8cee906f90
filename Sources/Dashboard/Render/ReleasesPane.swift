import ReleaseCore

/// The releases, newest first: `*` marks the current one, `<` the default rollback target; each
/// row has its status and the contract's reason code.
enum ReleasesPane {
    static func draw(_ frame: inout Frame, _ state: AppState, _ layout: Layout) {
        let width = layout.leftWidth
        let releases = state.releases
        let total = state.snapshot?.catalog.total ?? 0
        let title =
            state.filter.map { "Releases (\(releases.count) of \(total) match /\($0))" }
            ?? "Releases (\(total))  * current  < rollback target"
        PaneTitle.draw(&frame, title, focused: state.focus == .releases, row: layout.bodyTop, column: 0, width: width)
        let top = layout.bodyTop + 1
        let rows = layout.releaseRows
        if let failure = state.treeFailure {
            frame.draw(failure.message, .bad, row: top, column: 1, width: width - 1)
            return
        }
        guard let snapshot = state.snapshot else {
            frame.draw("reading the deploy tree...", .muted, row: top, column: 1, width: width - 1)
            return
        }
        if releases.isEmpty, let filter = state.filter, total > 0 {
            frame.draw("No release matches '\(filter)'", .muted, row: top, column: 1, width: width - 1)
            frame.draw("Esc clears the filter", .muted, row: top + 1, column: 1, width: width - 1)
            return
        }
        guard !releases.isEmpty else {
            frame.draw("No release in \(snapshot.path)/releases yet", .muted, row: top, column: 1, width: width - 1)
            frame.draw("D deploys the first one", .muted, row: top + 1, column: 1, width: width - 1)
            return
        }
        let first = min(max(0, state.selected - rows + 1), max(0, releases.count - rows))
        let target = snapshot.catalog.rollbackCandidate.id
        for (offset, release) in releases.dropFirst(first).prefix(rows).enumerated() {
            let index = first + offset
            let mark = release.status == .current ? "*" : release.id == target ? "<" : " "
            var line = StyledLine(" \(mark) \(release.id.rawValue) ")
            let status = release.status.rawValue
            line.append(status + String(repeating: " ", count: max(0, 11 - status.count)), Tone.of(release.status))
            if let code = release.reasonCode { line.append(code.rawValue, .muted) }
            frame.draw(line, row: top + offset, column: 0, width: width, reverse: index == state.selected, pad: true)
        }
    }
}
