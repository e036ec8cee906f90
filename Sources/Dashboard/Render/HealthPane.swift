import ReleaseCore

/// The current release's health: one sparkline per series with its value coloured by threshold,
/// then the firing alerts; "Prometheus unreachable at URL" is a state, not an error.
enum HealthPane {
    static func draw(_ frame: inout Frame, _ state: AppState, _ layout: Layout) {
        let column = layout.rightColumn
        let width = layout.rightWidth
        var row = layout.healthTop
        let end = layout.logTop
        let focused = state.focus == .health
        guard let health = state.health else {
            PaneTitle.draw(&frame, "Health", focused: focused, row: row, column: column, width: width)
            frame.draw("asking Prometheus...", .muted, row: row + 1, column: column + 1, width: width - 1)
            return
        }
        let now = state.now ?? health.fetchedAt
        let (verdict, _) = health.verdict(now: now)
        let age = Staleness(fetchedAt: health.fetchedAt, interval: Double(state.options.healthInterval))
        PaneTitle.draw(&frame, "Health: \(verdict.rawValue)", focused: focused, row: row, column: column, width: width)
        row += 1
        func line(_ styled: StyledLine) {
            guard row < end else { return }
            frame.draw(styled, row: row, column: column + 1, width: width - 1)
            row += 1
        }
        if age.isStale(now: now) {
            line(StyledLine("stale, last update \(DurationText.format(seconds: age.age(now: now))) ago", .warning))
        }
        if let failure = health.unavailable {
            line(StyledLine("Prometheus unreachable at", .warning))
            line(StyledLine(health.prometheusURL, .warning))
            line(StyledLine(failure.description, .muted))
            return
        }
        for metric in HealthMetric.allCases {
            guard let reading = health.reading(metric) else { continue }
            var styled = StyledLine(pad(metric.label, 12), .muted)
            styled.append(pad(metric.format(reading.latest), 12), Tone.of(reading.level))
            if let failure = reading.failure {
                styled.append("error: \(failure)", .warning)
            } else {
                let values = Sparkline.fit(reading.series?.values ?? [], width: layout.sparkWidth)
                styled.append(Sparkline.render(values, ascii: state.options.glyphs == .ascii), Tone.of(reading.level))
            }
            line(styled)
        }
        if let firing = health.firingAlerts {
            line(StyledLine("alerts: \(firing.count) firing", firing.isEmpty ? .good : .bad))
            for alert in firing {
                let since = alert.activeAt.map { " since \($0)" } ?? ""
                line(StyledLine("  \(alert.severity ?? "-")  \(alert.name)\(since)", .bad))
            }
        } else if let failure = health.alertsFailure {
            line(StyledLine("alerts: n/a (\(failure))", .warning))
        }
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - TerminalWidth.of(text)))
    }
}
