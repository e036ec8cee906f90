import ReleaseCore

/// `d`: a box over the panes comparing the selected release with the current one, the changed
/// fields first (current value -> selected value), then the unchanged ones. j/k move the
/// selection under it and the diff follows.
enum DiffView {
    static func draw(_ frame: inout Frame, _ state: AppState, _ layout: Layout) {
        let title = state.selectedRelease.map { "Diff: \($0.id) against the current release" } ?? "Diff"
        let room = max(1, layout.size.rows - 6)
        var lines = lines(state)
        if lines.count > room {
            let hidden = lines.count - room + 1
            lines = Array(lines.prefix(room - 1)) + [StyledLine("... \(hidden) more unchanged", .muted)]
        }
        lines.append(StyledLine("j/k select another release   d/Esc close", .muted))
        _ = Overlay.draw(&frame, title: title, lines: lines, layout: layout)
    }

    /// The diff's lines; a change wider than `width` columns puts its values on a second line.
    static func lines(_ state: AppState, width: Int? = nil) -> [StyledLine] {
        let room = width ?? state.size.columns - 7
        guard let current = state.snapshot?.catalog.current else {
            return [StyledLine("No current release to compare with", .muted)]
        }
        guard let diff = state.diff else { return [StyledLine("No release selected", .muted)] }
        guard diff.base != diff.other else {
            return [StyledLine("This is the current release (\(current.id)): nothing to compare", .muted)]
        }
        let nameWidth = (diff.fields.map(\.name.count).max() ?? 0) + 1
        func padded(_ name: String) -> String { name + String(repeating: " ", count: max(0, nameWidth - name.count)) }
        let changes = diff.changes
        var lines = [
            StyledLine("current \(diff.base) -> selected \(diff.other): \(changes.count) change(s)", .strong)
        ]
        for field in changes {
            var values = StyledLine()
            values.append(field.base ?? "(none)", .bad)
            values.append(" -> ", .muted)
            values.append(field.other ?? "(none)", .good)
            if nameWidth + 2 + values.width <= room {
                lines.append(StyledLine([StyledSpan("~ " + padded(field.name), .warning)] + values.spans))
            } else {
                lines.append(StyledLine("~ " + field.name, .warning))
                lines.append(StyledLine([StyledSpan("    ")] + values.spans))
            }
        }
        for field in diff.fields where !field.changed {
            lines.append(StyledLine("= " + padded(field.name) + (field.base ?? "(none)"), .muted))
        }
        return lines
    }
}
