import Foundation
import ReleaseCore
import ReleaseTesting
import Testing

/// The `--json` documents and text views compared byte for byte with files in Golden/. To
/// re-record on purpose after a deliberate change: `RELDASH_RECORD_GOLDEN=1 swift test`, then
/// review the diff. Never edit the files by hand.
@Suite("Golden output")
struct GoldenTests {
    static let now = Timestamp(rfc3339: "2026-11-24T19:00:00Z")!

    static var snapshot: DeploySnapshot {
        let records = [
            Fixture.record("20261124T181500Z", .deployed), Fixture.record("20261124T170000Z", .bad),
            Fixture.record("20261124T160000Z", .deployed), Fixture.record("20261124T150000Z", .failed),
            Fixture.record("20261124T140000Z", .incomplete), Fixture.record("20261124T130000Z", .invalid),
        ]
        let history = HistoryLog.parse(
            Array(
                #"{"schema_version":1,"time":"2026-11-24T18:15:41Z","event":"deploy","action":"deploy","release_id":"20261124T181500Z","user":"ops@host"}"#
                    .utf8))
        return DeploySnapshot(
            path: "deploy", catalog: Fixture.catalog(records, current: "20261124T181500Z"), history: history,
            lock: LockHolder(
                .directory(info: Array("owner=ops@host\npid=4242\nhost=box\nstarted=2026-11-24T18:59:00Z\n".utf8)),
                thisHost: "other", isAlive: { _ in true }),
            ignored: [IgnoredEntry(name: "notes.txt", code: .notAReleaseId)])
    }

    static var health: HealthSnapshot {
        let plan = QueryRangePlan(range: 900, width: 16, now: now)
        let ramps: [HealthMetric: [Double]] = [
            .up: Array(repeating: 1, count: 16), .requestRate: (0..<16).map { Double($0) },
            .errorRatio: (0..<16).map { $0 == 15 ? 0.02 : 0 }, .latencyP95: (0..<16).map { 0.1 + Double($0) / 100 },
            .cpu: (0..<16).map { Double($0 % 4) / 10 }, .memory: Array(repeating: 52_428_800, count: 16),
        ]
        let readings = HealthMetric.allCases.map { metric in
            let samples = (ramps[metric] ?? []).enumerated().compactMap {
                index, value -> (time: Double, value: Double)? in
                index == 5 ? nil : (plan.start.seconds + Double(index) * plan.step, value)
            }
            return HealthReading(
                metric: metric, query: HealthSettings().query(for: metric),
                series: HealthSeries(samples: samples, plan: plan), failure: nil, threshold: metric.defaultThreshold)
        }
        return HealthSnapshot(
            prometheusURL: "http://127.0.0.1:9090", fetchedAt: now, plan: plan, unavailable: nil, readings: readings,
            alerts: [
                PrometheusAPI.Alert(name: "ApiHighErrorRate", state: "pending", severity: "ticket", activeAt: nil)
            ],
            alertsFailure: nil, lastScrape: now.adding(-7), staleAfter: 60)
    }

    static var unavailable: HealthSnapshot {
        .unavailable(
            .timedOut(seconds: 3), prometheusURL: "http://127.0.0.1:9090", fetchedAt: now,
            plan: QueryRangePlan(range: 900, width: 60, now: now), staleAfter: 60)
    }

    @Test(
        "documents and views match their golden files",
        arguments: [
            "releases.json", "releases-limit.json", "status.json", "status-unavailable.json", "health.json",
            "show.json", "error.json", "releases.txt", "status.txt", "status-unavailable.txt", "health.txt", "show.txt",
            "status-color.txt",
        ])
    func matchesGolden(name: String) throws {
        try Self.compare(Self.render(name), with: name)
    }

    static func render(_ name: String) -> String {
        let snapshot = snapshot
        let release = snapshot.catalog.releases[0]
        let artifacts = [
            ArtifactCheck(
                path: "docker-compose.yml", expectedSHA256: String(repeating: "a", count: 64),
                actualSHA256: String(repeating: "a", count: 64), state: .ok),
            ArtifactCheck(
                path: "image.tar", expectedSHA256: String(repeating: "b", count: 64),
                actualSHA256: String(repeating: "c", count: 64),
                state: .mismatch, detail: "sha256 cccccccccccc, manifest says bbbbbbbbbbbb"),
        ]
        let plain = ANSIRenderer(palette: .monochrome)
        let manifest = try? JSONParser.parse(
            Fixture.manifestJSON(id: release.id.rawValue, extra: ",\n  \"x_custom\": true"))
        switch name {
        case "releases.json": return JSONWriter.pretty(ReportJSON.releases(snapshot, limit: nil, now: now))
        case "releases-limit.json": return JSONWriter.pretty(ReportJSON.releases(snapshot, limit: 2, now: now))
        case "status.json": return JSONWriter.pretty(ReportJSON.status(snapshot, health: health, now: now))
        case "status-unavailable.json":
            return JSONWriter.pretty(ReportJSON.status(snapshot, health: unavailable, now: now))
        case "health.json": return JSONWriter.pretty(ReportJSON.health(health, now: now))
        case "show.json":
            return JSONWriter.pretty(
                ReportJSON.show(release, manifestDocument: manifest, artifacts: artifacts, snapshot: snapshot, now: now)
            )
        case "error.json":
            return JSONWriter.pretty(
                ReportJSON.error(code: "deploy_dir_missing", message: "deploy directory x does not exist", exitCode: 3))
        case "releases.txt": return plain.render(ReportView.releases(snapshot, limit: nil, now: now))
        case "status.txt":
            return plain.render(
                ReportView.status(snapshot, health: health, now: now, glyphs: .unicode, sparkWidth: 16))
        case "status-unavailable.txt":
            return plain.render(
                ReportView.status(snapshot, health: unavailable, now: now, glyphs: .ascii, sparkWidth: 16))
        case "status-color.txt":
            return ANSIRenderer(palette: .colored).render(
                ReportView.status(snapshot, health: health, now: now, glyphs: .ascii, sparkWidth: 8))
        case "health.txt": return plain.render(ReportView.health(health, now: now, glyphs: .unicode, sparkWidth: 16))
        case "show.txt": return plain.render(ReportView.show(release, artifacts: artifacts, now: now))
        default: return "unknown golden \(name)"
        }
    }

    static func compare(_ actual: String, with name: String) throws {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
        let file = directory.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RELDASH_RECORD_GOLDEN"] == "1" {
            try Data(actual.utf8).write(to: file, options: .atomic)
            return
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(actual == expected, "differs from Golden/\(name); re-record with RELDASH_RECORD_GOLDEN=1 if intended")
    }
}
