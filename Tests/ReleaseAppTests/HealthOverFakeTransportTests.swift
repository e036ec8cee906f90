import ReleaseApp
import ReleaseCore
import ReleaseIO
import ReleaseTesting
import Testing

@Suite("Health through the real Prometheus client over the fake transport")
struct HealthOverFakeTransportTests {
    private static func services(_ transport: FakeHTTPTransport) -> AppServices {
        var settings = Settings()
        settings.prometheusURL = "http://prometheus.test:9090"
        return AppServices(
            settings: settings, tree: FakeDeployTree(Fixture.snapshot([], current: nil)),
            health: PrometheusHealthSource(
                client: PrometheusClient(baseURL: settings.prometheusURL, transport: transport)),
            scripts: FakeScriptRunner(), clock: FixedClock(Fixture.now), scriptsDirectory: "/repo/scripts")
    }

    @Test("one range query per series, the last scrape and the alerts; the answers become readings")
    func everySeriesAsked() async {
        let now = Fixture.now.seconds
        let matrix =
            #"{"status":"success","data":{"resultType":"matrix","#
            + #""result":[{"metric":{},"values":[[\#(now - 60),"1"],[\#(now),"1"]]}]}}"#
        let vector =
            #"{"status":"success","data":{"resultType":"vector","#
            + #""result":[{"metric":{},"value":[\#(now),"\#(now - 5)"]}]}}"#
        let alerts =
            #"{"status":"success","data":{"alerts":[{"#
            + #""labels":{"alertname":"ApiDown","severity":"page"},"state":"firing"}]}}"#
        let transport = FakeHTTPTransport([
            "/api/v1/query_range": .body(status: 200, matrix), "/api/v1/query": .body(status: 200, vector),
            "/api/v1/alerts": .body(status: 200, alerts),
        ])
        let snapshot = await Self.services(transport).fetchHealth(range: 600, points: 10)
        #expect(transport.requests.filter { $0.path == "/api/v1/query_range" }.count == HealthMetric.allCases.count)
        #expect(transport.requests.count == HealthMetric.allCases.count + 2)
        #expect(transport.requests.allSatisfy { $0.host == "prometheus.test" })
        #expect(snapshot.unavailable == nil)
        #expect(snapshot.reading(.up)?.latest == 1)
        #expect(snapshot.firingAlerts?.map(\.name) == ["ApiDown"])
        #expect(snapshot.lastScrape == Timestamp(seconds: now - 5))
    }

    @Test("with no answer at all, health is unavailable, not an error")
    func nothingAnswers() async {
        let snapshot = await Self.services(FakeHTTPTransport([:])).fetchHealth(range: 600, points: 10)
        #expect(snapshot.unavailable != nil)
        #expect(snapshot.verdict(now: Fixture.now).0 == .unavailable)
    }
}
