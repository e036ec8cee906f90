/// The views of the commands as styled lines (what a person reads; scripts use `--json`): the
/// text output renders them with `ANSIRenderer`, the dashboard draws the same lines in its panes.
public enum ReportView {
    /// `reldash releases`: one line per release, newest first.
    public static func releases(_ snapshot: DeploySnapshot, limit: Int?, now: Timestamp) -> StyledText {
        let catalog = snapshot.catalog
        guard catalog.total > 0 else {
            var text = StyledText([
                StyledLine("No release in \(snapshot.path)/releases yet: run `reldash deploy` to make the first one.")
            ])
            text.append(contentsOf: warnings(snapshot.allWarnings))
            return text
        }
        let shown = limit.map { Array(catalog.releases.prefix($0)) } ?? catalog.releases
        var table = TextTable()
        table.add(
            ["ID", "STATUS", "AGE", "ENV", "VERSION", "COMMIT", "SLOT", "REASON"].map { StyledSpan($0, .muted) })
        for release in shown {
            let manifest = release.manifest
            let marker = catalog.rollbackCandidate.id == release.id ? "<- rollback target" : nil
            let note = [release.reason, marker].compactMap { $0 }.joined(separator: "  ")
            table.add([
                (release.id.rawValue, nil),
                (release.status.rawValue, Tone.of(release.status)),
                (DurationText.format(seconds: now.seconds(since: release.createdAt)), nil),
                (manifest?.environment ?? "-", nil),
                (manifest?.appVersion ?? "-", nil),
                (manifest?.git?.short ?? "-", nil),
                (release.slot ?? "-", nil),
                (note, release.reason == nil ? .muted : nil),
            ])
        }
        var text = StyledText(table.lines())
        if shown.count < catalog.total {
            text.append(StyledLine("\(shown.count) of \(catalog.total) releases shown (--limit 0 for all)", .muted))
        }
        text.append(contentsOf: warnings(snapshot.allWarnings))
        return text
    }

    /// `reldash status`: current release, deploy directory state, health with sparklines.
    public static func status(
        _ snapshot: DeploySnapshot, health: HealthSnapshot, now: Timestamp, glyphs: GlyphSet, sparkWidth: Int
    ) -> StyledText {
        let catalog = snapshot.catalog
        var table = TextTable()
        table.add([("Deploy dir", .muted), (snapshot.path, nil)])
        if let current = catalog.current {
            table.add([("Current", .muted), (describe(current, now: now), .good)])
        } else {
            table.add([("Current", .muted), ("none", .warning)])
        }
        switch catalog.rollbackCandidate {
        case .release(let id): table.add([("Rollback to", .muted), (id.rawValue, nil)])
        case .none(let why): table.add([("Rollback to", .muted), ("none: \(why)", .muted)])
        }
        table.add([("Releases", .muted), ("\(catalog.total) in total (reldash releases lists them)", nil)])
        table.add([("Lock", .muted), snapshot.lock.map { ("held by \($0.summary)", .warning) } ?? ("free", nil)])
        if let event = snapshot.history.entries.last {
            let parts = [event.event, event.releaseID, event.time.map { "at \($0)" }, event.user.map { "by \($0)" }]
            table.add([("Last event", .muted), (parts.compactMap { $0 }.joined(separator: " "), nil)])
        }
        var text = StyledText(table.lines())
        text.append(StyledLine())
        text.append(contentsOf: healthBlock(health, now: now, glyphs: glyphs, sparkWidth: sparkWidth))
        text.append(contentsOf: warnings(snapshot.allWarnings))
        return text
    }

    /// `reldash health`: the verdict and one sparkline per series.
    public static func health(_ health: HealthSnapshot, now: Timestamp, glyphs: GlyphSet, sparkWidth: Int)
        -> StyledText
    {
        let range = health.plan.end.seconds(since: health.plan.start)
        var text = StyledText([
            StyledLine(
                "Range        last \(DurationText.format(seconds: range)), "
                    + "one point every \(DurationText.format(seconds: health.plan.step))")
        ])
        text.append(contentsOf: healthBlock(health, now: now, glyphs: glyphs, sparkWidth: sparkWidth))
        return text
    }

    /// The health lines shared by `status` and `health`.
    public static func healthBlock(_ health: HealthSnapshot, now: Timestamp, glyphs: GlyphSet, sparkWidth: Int)
        -> StyledText
    {
        let (verdict, reasons) = health.verdict(now: now)
        var header = StyledLine("Health       ")
        header.append(verdict.rawValue, Tone.of(verdict))
        header.append("  (Prometheus \(health.prometheusURL)", .muted)
        if let age = health.dataAge(now: now) {
            header.append(", data age \(DurationText.format(seconds: age))", .muted)
        }
        header.append(")", .muted)
        var text = StyledText([header])
        for reason in reasons { text.append(StyledLine("  - \(reason)")) }
        guard health.unavailable == nil else { return text }
        var table = TextTable()
        for metric in HealthMetric.allCases {
            guard let reading = health.reading(metric) else { continue }
            let values = Sparkline.fit(reading.series?.values ?? [], width: sparkWidth)
            let spark = reading.failure.map { "error: \($0)" } ?? Sparkline.render(values, ascii: glyphs == .ascii)
            table.add([
                ("  \(metric.label)", .muted),
                (metric.format(reading.latest), Tone.of(reading.level)),
                (spark, reading.failure == nil ? nil : .warning),
            ])
        }
        if let firing = health.firingAlerts {
            let names = firing.map(\.name).joined(separator: ", ")
            table.add([
                ("  alerts", .muted), ("\(firing.count) firing", firing.isEmpty ? .good : .bad), (names, nil),
            ])
        } else if let failure = health.alertsFailure {
            table.add([("  alerts", .muted), ("n/a", .muted), ("error: \(failure)", .warning)])
        }
        text.append(contentsOf: table.lines())
        return text
    }

    /// `reldash show ID`: every manifest field and the artifact checks.
    public static func show(_ release: Release, artifacts: [ArtifactCheck], now: Timestamp) -> StyledText {
        var table = TextTable()
        func add(_ label: String, _ value: String?, _ tone: Tone? = nil) {
            table.add([(label, .muted), (value ?? "-", value == nil ? .muted : tone)])
        }
        add("Release", release.id.rawValue, .strong)
        add(
            "Status", release.status.rawValue + (release.reason.map { " (\($0))" } ?? ""),
            Tone.of(release.status))
        let manifest = release.manifest
        add("Environment", manifest?.environment)
        add(
            "Created",
            "\(release.createdAt.rfc3339) (\(DurationText.format(seconds: now.seconds(since: release.createdAt))) ago)")
        add(
            "Finished",
            manifest?.finishedAt.map { finished in
                finished.rfc3339
                    + (manifest?.durationMilliseconds.map { " (took \(decimal(Double($0) / 1_000, places: 1)) s)" }
                        ?? "")
            })
        if let git = manifest?.git {
            let parts = [git.short ?? git.commit, git.branch, git.dirty == true ? "dirty" : nil]
            add("Git", parts.compactMap { $0 }.joined(separator: " "))
        } else {
            add("Git", nil)
        }
        add("App version", manifest?.appVersion)
        add("Deployed by", manifest?.deployedBy)
        add("Previous", manifest?.previousRelease)
        if let failure = manifest?.failureReason { add("Failure", failure, .bad) }
        for image in manifest?.images ?? [] {
            add(
                "Image", [image.service, image.ref ?? "(no image)", image.id].compactMap { $0 }.joined(separator: "  "))
        }
        if let flags = manifest?.flags, !flags.isEmpty {
            add(
                "Flags",
                flags.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value ? "on" : "off")" }.joined(separator: ", "))
        }
        for (offset, entry) in (manifest?.config ?? [:]).sorted(by: { $0.key < $1.key }).enumerated() {
            add(offset == 0 ? "Config" : "", "\(entry.key)=\(entry.value)")
        }
        if let gate = manifest?.healthGate {
            let attempts = gate.attempts.map { " after \($0) attempt(s)" } ?? ""
            let took = gate.durationMilliseconds.map { " in \(decimal(Double($0) / 1_000, places: 1)) s" } ?? ""
            add("Health gate", "\(gate.status ?? "unknown")\(attempts)\(took)" + (gate.url.map { "  \($0)" } ?? ""))
        }
        if let marker = release.record.badMarker {
            let parts = [marker.reason, marker.time.map { "at \($0)" }, marker.user.map { "by \($0)" }]
            add("BAD", parts.compactMap { $0 }.joined(separator: " "), .bad)
        }
        var text = StyledText(table.lines())
        guard !artifacts.isEmpty else { return text }
        text.append(StyledLine())
        text.append(StyledLine("Artifacts"))
        var checks = TextTable()
        for check in artifacts {
            let tone: Tone = check.state == .ok ? .good : .bad
            checks.add([
                ("  " + check.state.rawValue, tone), (check.path, nil),
                (check.detail ?? "sha256 \(check.expectedSHA256.prefix(12))", .muted),
            ])
        }
        text.append(contentsOf: checks.lines())
        return text
    }

    private static func describe(_ release: Release, now: Timestamp) -> String {
        let manifest = release.manifest
        let parts: [String?] = [
            release.id.rawValue, manifest?.environment, manifest?.appVersion,
            manifest?.git?.short.map { short in short + (manifest?.git?.branch.map { " (\($0))" } ?? "") },
            "deployed \(DurationText.format(seconds: now.seconds(since: release.createdAt))) ago"
                + (manifest?.deployedBy.map { " by \($0)" } ?? ""),
        ]
        return parts.compactMap { $0 }.joined(separator: "  ") + (release.reason.map { "  (\($0))" } ?? "")
    }

    private static func warnings(_ warnings: [String]) -> [StyledLine] {
        guard !warnings.isEmpty else { return [] }
        return [StyledLine(), StyledLine("Warnings", .warning)] + warnings.map { StyledLine("  - \($0)") }
    }
}
