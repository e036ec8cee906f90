import ReleaseCore

/// The selected release's manifest, as `reldash show` prints it; j/k scroll it when focused.
enum ManifestPane {
    static func draw(_ frame: inout Frame, _ state: AppState, _ layout: Layout) {
        let column = layout.rightColumn
        let width = layout.rightWidth
        guard layout.manifestRows > 0 else { return }
        guard let release = state.selectedRelease else {
            PaneTitle.draw(
                &frame, "Manifest", focused: state.focus == .manifest, row: layout.bodyTop,
                column: column, width: width)
            return
        }
        let artifacts = state.artifacts[release.id] ?? []
        var lines = ReportView.show(release, artifacts: artifacts, now: state.now ?? release.createdAt).lines
        if artifacts.isEmpty, state.artifactsInFlight.contains(release.id) {
            lines.append(StyledLine("checking artifacts...", .muted))
        }
        let room = layout.manifestRows - 1
        let scroll = min(state.manifestScroll, max(0, lines.count - room))
        let more = lines.count > room ? " \(scroll + 1)/\(lines.count)" : ""
        PaneTitle.draw(
            &frame, "Manifest \(release.id)\(more)", focused: state.focus == .manifest,
            row: layout.bodyTop, column: column, width: width)
        for (offset, line) in lines.dropFirst(scroll).prefix(room).enumerated() {
            frame.draw(line, row: layout.bodyTop + 1 + offset, column: column + 1, width: width - 1)
        }
    }
}
