import ReleaseCore

/// A box drawn over the panes, centred, with a reverse-video title.
enum Overlay {
    static func draw(_ frame: inout Frame, title: String, lines: [StyledLine], layout: Layout) -> (
        row: Int, column: Int, width: Int
    ) {
        let width = min(layout.size.columns - 4, max(title.count + 4, (lines.map(\.width).max() ?? 0) + 4))
        let height = lines.count + 2
        let top = max(0, (layout.size.rows - height) / 2)
        let left = max(0, (layout.size.columns - width) / 2)
        frame.draw(" " + title, row: top, column: left, width: width, reverse: true, pad: true)
        for (offset, line) in lines.enumerated() {
            frame.draw("", row: top + 1 + offset, column: left, width: width, pad: true)
            frame.draw(line, row: top + 1 + offset, column: left + 2, width: width - 3)
        }
        frame.draw("", row: top + height - 1, column: left, width: width, reverse: true, pad: true)
        return (top, left, width)
    }
}

/// `?`: the keys of this mode (read-only leaves out deploy and rollback).
enum HelpView {
    static func draw(_ frame: inout Frame, _ state: AppState, _ layout: Layout) {
        var lines: [StyledLine] = [
            "j k / arrows   move the selection (scroll the manifest pane)",
            "g G / Home End first, last release",
            "PgUp PgDn      one page",
            "Tab / S-Tab    next, previous pane",
            "Enter          focus the manifest pane",
            "d              diff: selected release against the current one",
            "/              filter the list (Enter keeps, Esc clears)",
            "Esc            clear the filter",
            "F5 / Ctrl-R    read the tree and health now",
        ]
        if !state.options.readOnly {
            lines += [
                "R              roll back to the default target (asks first)",
                "r              roll back (or forward) to the selected release",
                "D              deploy the working tree (asks first)",
                StyledLine("dialog: Cancel is focused; Enter presses the focused button,", .muted),
                StyledLine("        y confirms, n/Esc cancel, Tab/arrows move the focus", .muted),
            ]
        }
        lines += ["q              quit (asks when a script runs)", StyledLine("any key closes this help", .muted)]
        _ = Overlay.draw(&frame, title: "Keys", lines: lines, layout: layout)
    }
}

/// The confirm dialog: exactly what will run, which release will serve, Cancel focused first.
enum DialogView {
    static func draw(_ frame: inout Frame, _ dialog: Dialog, _ layout: Layout) {
        switch dialog {
        case .confirm(let action, let command, let serving, let confirmFocused):
            let verb = action.command == "rollback" ? "Roll back" : "Deploy"
            let commandLines = wrap(command, width: layout.size.columns - 10).map { StyledLine("  " + $0, .strong) }
            let lines: [StyledLine] =
                ["This will run:"] + commandLines + [
                    StyledLine(serving), "", "",
                    StyledLine("y confirm   n/Esc cancel   Tab switch   Enter: focused button", .muted),
                ]
            let box = Overlay.draw(&frame, title: "\(verb)?", lines: lines, layout: layout)
            let buttons = box.row + 4 + commandLines.count
            frame.draw("[ Cancel ]", row: buttons, column: box.column + 2, reverse: !confirmFocused)
            frame.draw(
                "[ \(verb) ]", action.command == "rollback" ? .warning : nil, row: buttons,
                column: box.column + 14, reverse: confirmFocused)
        case .quitWhileRunning:
            let lines: [StyledLine] = [
                "A script is running.", "y: stop it (SIGTERM, then SIGKILL) and quit when it has ended",
                "n/Esc: keep watching",
            ]
            _ = Overlay.draw(&frame, title: "Quit?", lines: lines, layout: layout)
        }
    }
}

/// `text` in pieces of at most `width` columns (a long command is shown whole, never clipped).
func wrap(_ text: String, width: Int) -> [String] {
    var pieces: [String] = []
    var rest = Substring(text)
    while TerminalWidth.of(rest) > max(1, width) {
        let head = TerminalWidth.prefix(String(rest), fitting: max(1, width))
        pieces.append(head)
        rest = rest.dropFirst(head.count)
    }
    pieces.append(String(rest))
    return pieces
}
