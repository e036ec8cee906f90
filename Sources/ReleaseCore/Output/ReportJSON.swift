/// The `--json` documents of each command. Every document has `schema_version` 1 and
/// `generated_at`; field names are documented in docs/reldash.md.
public enum ReportJSON {
    /// `reldash releases --json`: newest first, at most `limit` (nil: all; the catalog must hold
    /// the newest `limit` releases, see `CatalogScope.newest`).
    public static func releases(_ snapshot: DeploySnapshot, limit: Int?, now: Timestamp) -> JSONValue {
        let catalog = snapshot.catalog
        let shown = limit.map { Array(catalog.releases.prefix($0)) } ?? catalog.releases
        return .object([
            ("schema_version", .integer(ReleaseJSON.schemaVersion)),
            ("generated_at", .string(now.rfc3339)),
            ("deploy_dir", .string(snapshot.path)),
            ("current", .optional(catalog.current?.id.rawValue)),
            ("rollback_candidate", .optional(catalog.rollbackCandidate.id?.rawValue)),
            ("total", .integer(Int64(catalog.total))),
            ("returned", .integer(Int64(shown.count))),
            ("releases", .array(shown.map { ReleaseJSON.summary($0, catalog: catalog, now: now) })),
            ("warnings", .array(snapshot.allWarnings.map { .string($0) })),
        ])
    }

    /// `reldash status --json`: the current release, the deploy directory's state, and health.
    public static func status(_ snapshot: DeploySnapshot, health: HealthSnapshot, now: Timestamp) -> JSONValue {
        let catalog = snapshot.catalog
        let refusal: JSONValue
        if case .none(let why) = catalog.rollbackCandidate {
            refusal = ReleaseJSON.problem(code: why.code.rawValue, message: why.description)
        } else {
            refusal = .null
        }
        return .object([
            ("schema_version", .integer(ReleaseJSON.schemaVersion)),
            ("generated_at", .string(now.rfc3339)),
            ("deploy_dir", .string(snapshot.path)),
            ("current", catalog.current.map { ReleaseJSON.summary($0, catalog: catalog, now: now) } ?? .null),
            (
                "pointer",
                .object([
                    ("broken", .optional(catalog.pointer.broken?.rawValue)),
                    ("release_id", .optional(catalog.pointer.id?.rawValue)),
                    ("source", .string(catalog.pointer.source.rawValue)),
                    ("warning", .optional(catalog.pointer.warning?.rawValue)),
                ])
            ),
            (
                "rollback",
                .object([("candidate", .optional(catalog.rollbackCandidate.id?.rawValue)), ("refusal", refusal)])
            ),
            ("total", .integer(Int64(catalog.total))),
            ("lock", snapshot.lock?.json ?? .null),
            ("last_event", snapshot.history.entries.last?.json ?? .null),
            ("health", healthSummary(health, now: now)),
            ("warnings", .array(snapshot.allWarnings.map { .string($0) })),
        ])
    }

    /// The `health` member of `status --json`: verdict, latest values, alerts.
    public static func healthSummary(_ health: HealthSnapshot, now: Timestamp) -> JSONValue {
        let (verdict, reasons) = health.verdict(now: now)
        var metrics: [(String, JSONValue)] = []
        for metric in HealthMetric.allCases {
            let reading = health.reading(metric)
            metrics.append(
                (
                    metric.rawValue,
                    .object([
                        ("value", .optional(reading?.latest)),
                        ("unit", .string(metric.unit)),
                        ("level", .string((reading?.level ?? .unknown).rawValue)),
                        ("query", .optional(reading?.query)),
                        ("error", failureJSON(reading?.failure)),
                    ])
                ))
        }
        return .object([
            ("status", .string(verdict.rawValue)),
            ("reasons", .array(reasons.map { .string($0) })),
            ("prometheus_url", .string(health.prometheusURL)),
            ("fetched_at", .string(health.fetchedAt.rfc3339)),
            ("last_scrape", .optional(health.lastScrape?.rfc3339)),
            ("data_age_seconds", .optional(health.dataAge(now: now).map { $0.rounded(.down) })),
            ("error", failureJSON(health.unavailable)),
            ("metrics", .object(metrics)),
            (
                "alerts",
                .object([
                    ("firing", .optional(health.firingAlerts.map { Int64($0.count) })),
                    ("items", .array((health.alerts ?? []).map(\.json))),
                    ("error", failureJSON(health.alertsFailure)),
                ])
            ),
        ])
    }

    /// `reldash health --json`: the series behind the sparklines.
    public static func health(_ health: HealthSnapshot, now: Timestamp) -> JSONValue {
        let (verdict, reasons) = health.verdict(now: now)
        let series: [JSONValue] = health.readings.map { reading in
            .object([
                ("name", .string(reading.metric.rawValue)),
                ("unit", .string(reading.metric.unit)),
                ("query", .string(reading.query)),
                ("level", .string(reading.level.rawValue)),
                ("latest", .optional(reading.latest)),
                ("error", failureJSON(reading.failure)),
                (
                    "points",
                    .array(
                        (reading.series?.points ?? []).map { point in
                            .array([.integer(Int64(point.time.seconds)), .optional(point.value)])
                        })
                ),
            ])
        }
        return .object([
            ("schema_version", .integer(ReleaseJSON.schemaVersion)),
            ("generated_at", .string(now.rfc3339)),
            ("prometheus_url", .string(health.prometheusURL)),
            ("status", .string(verdict.rawValue)),
            ("reasons", .array(reasons.map { .string($0) })),
            ("error", failureJSON(health.unavailable)),
            ("start", .string(health.plan.start.rfc3339)),
            ("end", .string(health.plan.end.rfc3339)),
            ("step_seconds", .integer(Int64(health.plan.step))),
            ("series", .array(series)),
        ])
    }

    /// `reldash show ID --json`: the release, its manifest in full, and the artifact checks.
    public static func show(
        _ release: Release, manifestDocument: JSONValue?, artifacts: [ArtifactCheck], snapshot: DeploySnapshot,
        now: Timestamp
    ) -> JSONValue {
        let manifestError: JSONValue
        switch release.record.manifest {
        case .rejected(let code):
            manifestError = ReleaseJSON.problem(code: code.rawValue, message: code.text)
        case .missing:
            manifestError = ReleaseJSON.problem(
                code: ContractCode.noManifest.rawValue, message: ContractCode.noManifest.text)
        case .accepted(_, .failure(let problem)):
            manifestError = ReleaseJSON.problem(code: problem.code, message: problem.description)
        case .accepted(_, .success): manifestError = .null
        }
        return .object([
            ("schema_version", .integer(ReleaseJSON.schemaVersion)),
            ("generated_at", .string(now.rfc3339)),
            ("deploy_dir", .string(snapshot.path)),
            ("release", ReleaseJSON.summary(release, catalog: snapshot.catalog, now: now)),
            ("manifest", manifestDocument ?? .null),
            ("manifest_error", manifestError),
            ("artifacts", .array(artifacts.map(\.json))),
            ("artifacts_ok", .bool(artifacts.allSatisfy { $0.state == .ok })),
        ])
    }

    /// The document written to stderr when a command fails under `--json`.
    public static func error(code: String, message: String, exitCode: Int32) -> JSONValue {
        .object([
            ("schema_version", .integer(ReleaseJSON.schemaVersion)),
            (
                "error",
                .object([
                    ("code", .string(code)), ("message", .string(message)), ("exit_code", .integer(Int64(exitCode))),
                ])
            ),
        ])
    }

    private static func failureJSON(_ failure: PrometheusFailure?) -> JSONValue {
        failure.map { ReleaseJSON.problem(code: $0.code, message: $0.description) } ?? .null
    }
}
