import ReleaseCore
import Testing

@Suite("Health: thresholds, verdict, staleness")
struct HealthTests {
    static let now = Timestamp(seconds: 1_000)
    static let plan = QueryRangePlan(range: 60, width: 7, now: now)

    static func reading(_ metric: HealthMetric, _ value: Double?) -> HealthReading {
        let samples: [(time: Double, value: Double)] = value.map { [(plan.end.seconds, $0)] } ?? []
        return HealthReading(
            metric: metric, query: metric.defaultQuery, series: HealthSeries(samples: samples, plan: plan),
            failure: nil, threshold: metric.defaultThreshold)
    }

    static func snapshot(
        _ values: [HealthMetric: Double?], alerts: [PrometheusAPI.Alert]? = [], lastScrape: Double? = 995
    ) -> HealthSnapshot {
        HealthSnapshot(
            prometheusURL: "http://127.0.0.1:9090", fetchedAt: now, plan: plan, unavailable: nil,
            readings: HealthMetric.allCases.map { reading($0, values[$0] ?? nil) }, alerts: alerts,
            alertsFailure: nil, lastScrape: lastScrape.map { Timestamp(seconds: $0) }, staleAfter: 60)
    }

    static let healthy: [HealthMetric: Double?] = [
        .up: 1, .requestRate: 12, .errorRatio: 0, .latencyP95: 0.12, .cpu: 0.05, .memory: 50_000_000,
    ]

    @Test(
        "classifies values against thresholds",
        arguments: [
            (HealthMetric.errorRatio, 0.0, HealthLevel.ok), (.errorRatio, 0.01, .warning),
            (.errorRatio, 0.2, .critical),
            (.latencyP95, 0.499, .ok), (.latencyP95, 0.5, .warning), (.latencyP95, 1.5, .critical),
            (.up, 1, .ok), (.up, 0, .critical), (.memory, 1e12, .ok), (.cpu, 0.9, .warning),
        ])
    func classifies(metric: HealthMetric, value: Double, level: HealthLevel) {
        #expect(metric.defaultThreshold.classify(value) == level)
    }

    @Test("a missing or NaN value is unknown, not ok")
    func unknownWithoutValue() {
        #expect(HealthMetric.errorRatio.defaultThreshold.classify(nil) == .unknown)
        #expect(HealthMetric.errorRatio.defaultThreshold.classify(.nan) == .unknown)
    }

    @Test("healthy when up, fresh, within thresholds and no alert firing")
    func healthy() {
        let (verdict, reasons) = Self.snapshot(Self.healthy).verdict(now: Self.now)
        #expect(verdict == .healthy)
        #expect(reasons.isEmpty)
    }

    @Test("no traffic (5xx ratio NaN) is still healthy")
    func noTrafficIsHealthy() {
        var values = Self.healthy
        values[.errorRatio] = .some(nil)
        values[.latencyP95] = .some(nil)
        #expect(Self.snapshot(values).verdict(now: Self.now).0 == .healthy)
    }

    @Test(
        "degraded, with the reason, when something is wrong",
        arguments: [
            (HealthMetric.up, 0.0, "the API target is down (up = 0)"),
            (.errorRatio, 0.2, "5xx ratio is 20.00 % (critical)"),
            (.latencyP95, 0.7, "p95 latency is 700 ms (warning)"),
        ])
    func degraded(metric: HealthMetric, value: Double, reason: String) {
        var values = Self.healthy
        values[metric] = value
        let (verdict, reasons) = Self.snapshot(values).verdict(now: Self.now)
        #expect(verdict == .degraded)
        #expect(reasons == [reason])
    }

    @Test("degraded when an alert fires (pending alerts do not count)")
    func firingAlert() {
        let alerts = [
            PrometheusAPI.Alert(name: "ApiDown", state: "firing", severity: "page", activeAt: nil),
            PrometheusAPI.Alert(name: "Slow", state: "pending", severity: "ticket", activeAt: nil),
        ]
        let snapshot = Self.snapshot(Self.healthy, alerts: alerts)
        #expect(snapshot.firingAlerts?.map { $0.name } == ["ApiDown"])
        let (verdict, reasons) = snapshot.verdict(now: Self.now)
        #expect(verdict == .degraded)
        #expect(reasons == ["1 alert(s) firing: ApiDown"])
    }

    @Test("degraded when the last scrape is older than stale_after")
    func staleData() {
        let snapshot = Self.snapshot(Self.healthy, lastScrape: 900)
        #expect(snapshot.dataAge(now: Self.now) == 100)
        let (verdict, reasons) = snapshot.verdict(now: Self.now)
        #expect(verdict == .degraded)
        #expect(reasons == ["data is stale: last scrape 1m 40s ago"])
    }

    @Test("unknown when Prometheus has no 'up' sample for the job")
    func unknownWithoutUp() {
        var values = Self.healthy
        values[.up] = .some(nil)
        #expect(Self.snapshot(values).verdict(now: Self.now).0 == .unknown)
    }

    @Test("unavailable when Prometheus could not be asked")
    func unavailable() {
        let snapshot = HealthSnapshot.unavailable(
            .unreachable("connection refused"), prometheusURL: "http://127.0.0.1:1", fetchedAt: Self.now,
            plan: Self.plan, staleAfter: 60)
        let (verdict, reasons) = snapshot.verdict(now: Self.now)
        #expect(verdict == .unavailable)
        #expect(reasons.first?.contains("connection refused") == true)
    }

    @Test(
        "a polled view is fresh for two intervals, then stale",
        arguments: [(1_000.0, false, 0.0), (1_009.0, false, 9.0), (1_011.0, true, 11.0), (990.0, false, 0.0)])
    func staleness(now: Double, stale: Bool, age: Double) {
        let staleness = Staleness(fetchedAt: Timestamp(seconds: 1_000), interval: 5)
        #expect(staleness.isStale(now: Timestamp(seconds: now)) == stale)
        #expect(staleness.age(now: Timestamp(seconds: now)) == age)
    }

    @Test(
        "formats values with their unit",
        arguments: [
            (HealthMetric.up, 1.0, "up"), (.up, 0.0, "down"), (.requestRate, 3.456, "3.46 req/s"),
            (.requestRate, 123.45, "123.5 req/s"), (.errorRatio, 0.0123, "1.23 %"), (.latencyP95, 0.1234, "123 ms"),
            (.latencyP95, 2.5, "2.50 s"), (.cpu, 0.05, "0.050 cores"), (.memory, 52_428_800, "50.0 MiB"),
            (.memory, 512, "512 B"),
        ])
    func formats(metric: HealthMetric, value: Double, text: String) {
        #expect(metric.format(value) == text)
    }
}
