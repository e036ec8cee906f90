import Dashboard
import Foundation
import ReleaseCore
import ReleaseTesting

/// States of the dashboard for the tests: the same deploy tree and health in every scene.
enum Scene {
    static let now = Timestamp(rfc3339: "2026-11-24T19:00:00Z")!
    static let current = Fixture.id("20261124T181500Z")
    static let target = Fixture.id("20261124T160000Z")

    /// current, a bad one, the default target, a failed one, an incomplete and an invalid one.
    static func snapshot(lock: LockHolder? = nil) -> DeploySnapshot {
        let records = [
            Fixture.record("20261124T181500Z", .deployed), Fixture.record("20261124T170000Z", .bad),
            Fixture.record("20261124T160000Z", .deployed), Fixture.record("20261124T150000Z", .failed),
            Fixture.record("20261124T140000Z", .incomplete), Fixture.record("20261124T130000Z", .invalid),
        ]
        let history = HistoryLog.parse(
            Array(
                #"{"schema_version":1,"time":"2026-11-24T18:15:41Z","event":"deploy","release_id":"20261124T181500Z"}"#
                    .utf8))
        return DeploySnapshot(
            path: "deploy", catalog: Fixture.catalog(records, current: "20261124T181500Z"), history: history,
            lock: lock)
    }

    /// The scene's tree where the current release and the default target ran with different flags
    /// and configuration (what `d` shows).
    static func snapshotWithFlags() -> DeploySnapshot {
        var records = snapshot().catalog.releases.map(\.record)
        records[0] = Fixture.deployed(
            "20261124T181500Z",
            extra: #", "config": {"LOG_LEVEL": "info", "DB_POOL_SIZE": "10"}, "flags": {"task_search": true}"#)
        records[2] = Fixture.deployed(
            "20261124T160000Z",
            extra: #", "config": {"LOG_LEVEL": "debug", "DB_POOL_SIZE": "10"}, "flags": {"task_search": false}"#)
        let base = snapshot()
        return DeploySnapshot(
            path: base.path, catalog: Fixture.catalog(records, current: "20261124T181500Z"), history: base.history,
            lock: nil)
    }

    /// 1,000 deployed releases an hour apart, the newest current.
    static var thousandReleases: DeploySnapshot {
        let start = Timestamp(rfc3339: "2026-10-01T00:00:00Z")!
        let ids = (0..<1_000).map { hour in
            start.adding(Double(hour) * 3_600).rfc3339.replacingOccurrences(of: "-", with: "")
                .replacingOccurrences(of: ":", with: "")
        }
        let records = ids.map { Fixture.record($0, .deployed) }
        return DeploySnapshot(
            path: "deploy", catalog: Fixture.catalog(records, current: ids.last), history: HistoryLog(), lock: nil)
    }

    static let heldLock = LockHolder(
        .directory(info: Array("owner=ops@host\npid=4242\nhost=box\nstarted=2026-11-24T18:59:00Z\n".utf8)),
        thisHost: "other", isAlive: { _ in true })

    static var health: HealthSnapshot {
        let plan = QueryRangePlan(range: 900, width: 16, now: now)
        let ramps: [HealthMetric: [Double]] = [
            .up: Array(repeating: 1, count: 16), .requestRate: (0..<16).map { Double($0) },
            .errorRatio: (0..<16).map { $0 == 15 ? 0.02 : 0 }, .latencyP95: (0..<16).map { 0.1 + Double($0) / 100 },
            .cpu: (0..<16).map { Double($0 % 4) / 10 }, .memory: Array(repeating: 52_428_800, count: 16),
        ]
        let readings = HealthMetric.allCases.map { metric in
            let samples = (ramps[metric] ?? []).enumerated().map { index, value -> (time: Double, value: Double) in
                (plan.start.seconds + Double(index) * plan.step, value)
            }
            return HealthReading(
                metric: metric, query: HealthSettings().query(for: metric),
                series: HealthSeries(samples: samples, plan: plan), failure: nil, threshold: metric.defaultThreshold)
        }
        return HealthSnapshot(
            prometheusURL: "http://127.0.0.1:9090", fetchedAt: now, plan: plan, unavailable: nil, readings: readings,
            alerts: [
                PrometheusAPI.Alert(
                    name: "ApiHighErrorRate", state: "firing", severity: "page", activeAt: "2026-11-24T18:50:00Z")
            ],
            alertsFailure: nil, lastScrape: now.adding(-7), staleAfter: 60)
    }

    static var prometheusDown: HealthSnapshot {
        .unavailable(
            .timedOut(seconds: 3), prometheusURL: "http://127.0.0.1:9090", fetchedAt: now,
            plan: QueryRangePlan(range: 900, width: 60, now: now), staleAfter: 60)
    }

    /// The dashboard with the tree and health loaded, at 80x24.
    static func loaded(
        readOnly: Bool = false, lock: LockHolder? = nil, health: HealthSnapshot? = Scene.health,
        size: FrameSize = FrameSize(columns: 80, rows: 24)
    ) -> AppState {
        var state = AppState(options: DashboardOptions(readOnly: readOnly), size: size)
        _ = Dashboard.start(&state)
        _ = Dashboard.reduce(&state, .tick(now))
        _ = Dashboard.reduce(&state, .releasesLoaded(.success(snapshot(lock: lock))))
        if let health { _ = Dashboard.reduce(&state, .healthLoaded(health)) }
        return state
    }

    /// `keys` pressed one after the other; the effects of each.
    static func press(_ state: inout AppState, _ keys: [Key]) -> [[Effect]] {
        keys.map { Dashboard.reduce(&state, .key($0)) }
    }
}
