import Foundation
import ReleaseCore
import ReleaseIO
import Testing

/// The Prometheus client against a stub server on 127.0.0.1: every error path, with deadlines.
@Suite("Prometheus client error paths (stub server)")
struct PrometheusClientTests {
    static let vector =
        #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1795544100,"1"]}]}}"#

    static func client(_ server: StubHTTPServer) -> PrometheusClient {
        PrometheusClient(baseURL: server.baseURL, transport: CurlTransport())
    }

    @Test("reads a successful instant query and encodes PromQL safely (+ stays +)")
    func success() async throws {
        let server = try StubHTTPServer { _ in .init(status: 200, body: Self.vector) }
        defer { server.stop() }
        let samples = try await Self.client(server).instant(#"up{job="api"} + 0"#, timeout: 2)
        #expect(samples.map(\.value) == [1])
        let target = try #require(server.requests.first)
        #expect(target.hasPrefix("/api/v1/query?query="))
        #expect(target.contains("%2B"))
        #expect(!target.contains("+"))
    }

    @Test(
        "turns each failure into a PrometheusFailure",
        arguments: [
            (StubHTTPServer.Response(status: 500, body: "<html>oops</html>"), "http_status"),
            (
                .init(
                    status: 400,
                    body:
                        #"{"status":"error","errorType":"bad_data","error":"exceeded maximum resolution of 11,000 points per timeseries"}"#
                ), "api_error"
            ),
            (.init(status: 200, body: #"{"status":"success","data":{"resultType":"vec"#), "malformed_response"),
            (.init(status: 200, body: "not json at all"), "malformed_response"),
            (.init(status: 200, body: "", hangUp: true), "unreachable"),
        ])
    func failures(response: StubHTTPServer.Response, code: String) async throws {
        let server = try StubHTTPServer { _ in response }
        defer { server.stop() }
        await #expect {
            try await Self.client(server).instant("up", timeout: 2)
        } throws: { error in
            (error as? PrometheusFailure)?.code == code
        }
    }

    @Test("a server slower than the timeout gives timeout, on time")
    func timeout() async throws {
        let server = try StubHTTPServer { _ in .init(status: 200, body: Self.vector, delay: 5) }
        defer { server.stop() }
        let started = Date()
        await #expect {
            try await Self.client(server).instant("up", timeout: 0.5)
        } throws: { error in
            (error as? PrometheusFailure)?.code == "timeout"
        }
        #expect(Date().timeIntervalSince(started) < 3)
    }

    @Test("a closed port gives unreachable at once")
    func connectionRefused() async throws {
        let client = PrometheusClient(baseURL: "http://127.0.0.1:\(closedPort())", transport: CurlTransport())
        await #expect {
            try await client.instant("up", timeout: 2)
        } throws: { error in
            guard case .unreachable(let why)? = error as? PrometheusFailure else { return false }
            return why == "connection refused"
        }
    }

    @Test("NaN samples become gaps; the latest value is the last real one")
    func nanSamples() async throws {
        let matrix =
            #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[960,"1"],[970,"NaN"],[980,"2"],[990,"NaN"]]}]}}"#
        let server = try StubHTTPServer { target in
            if target.hasPrefix("/api/v1/query_range") { return .init(status: 200, body: matrix) }
            if target.hasPrefix("/api/v1/alerts") {
                return .init(status: 200, body: #"{"status":"success","data":{"alerts":[]}}"#)
            }
            return .init(
                status: 200,
                body:
                    #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1000,"995"]}]}}"#
            )
        }
        defer { server.stop() }
        let now = Timestamp(seconds: 1_000)
        let plan = QueryRangePlan(range: 40, width: 5, now: now)
        let snapshot = await PrometheusHealthSource(client: Self.client(server))
            .fetch(settings: HealthSettings(), plan: plan, now: now, timeout: 2)
        let up = try #require(snapshot.reading(.up))
        #expect(up.series?.values == [1, nil, 2, nil, nil])
        #expect(up.latest == 2)
        #expect(snapshot.lastScrape == Timestamp(seconds: 995))
        #expect(snapshot.alerts == [])
        let target = try #require(server.requests.first { $0.hasPrefix("/api/v1/query_range") })
        #expect(target.contains("start=960") && target.contains("end=1000") && target.contains("step=10"))
    }

    @Test("Prometheus down: health is unavailable within the timeout, nothing thrown")
    func unavailableWhenDown() async {
        let client = PrometheusClient(baseURL: "http://127.0.0.1:\(closedPort())", transport: CurlTransport())
        let now = Timestamp(seconds: 1_000)
        let snapshot = await PrometheusHealthSource(client: client)
            .fetch(
                settings: HealthSettings(), plan: QueryRangePlan(range: 60, width: 10, now: now), now: now, timeout: 1)
        #expect(snapshot.unavailable?.code == "unreachable")
        #expect(snapshot.verdict(now: now).0 == .unavailable)
    }

    @Test("Prometheus slow: every query stops at the deadline and health is unavailable")
    func unavailableWhenSlow() async throws {
        let server = try StubHTTPServer { _ in .init(status: 200, body: Self.vector, delay: 10) }
        defer { server.stop() }
        let now = Timestamp(seconds: 1_000)
        let started = Date()
        let snapshot = await PrometheusHealthSource(client: Self.client(server))
            .fetch(
                settings: HealthSettings(), plan: QueryRangePlan(range: 60, width: 10, now: now), now: now, timeout: 0.7
            )
        #expect(Date().timeIntervalSince(started) < 3)
        #expect(snapshot.unavailable?.code == "timeout")
    }

    @Test("one bad query is reported on its own line; the others still count")
    func oneQueryRefused() async throws {
        let server = try StubHTTPServer { target in
            if target.contains("histogram_quantile") {
                return .init(status: 400, body: #"{"status":"error","errorType":"bad_data","error":"parse error"}"#)
            }
            if target.hasPrefix("/api/v1/alerts") {
                return .init(status: 200, body: #"{"status":"success","data":{"alerts":[]}}"#)
            }
            if target.hasPrefix("/api/v1/query_range") {
                let value = target.contains("min%28up") ? "1" : "0"
                return .init(
                    status: 200,
                    body: #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1000,""#
                        + value + #""]]}]}}"#)
            }
            return .init(
                status: 200,
                body:
                    #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1000,"999"]}]}}"#
            )
        }
        defer { server.stop() }
        let now = Timestamp(seconds: 1_000)
        let snapshot = await PrometheusHealthSource(client: Self.client(server))
            .fetch(
                settings: HealthSettings(), plan: QueryRangePlan(range: 60, width: 7, now: now), now: now, timeout: 2)
        #expect(snapshot.unavailable == nil)
        #expect(snapshot.reading(.latencyP95)?.failure?.code == "api_error")
        #expect(snapshot.reading(.up)?.latest == 1)
        #expect(snapshot.verdict(now: now).0 == .healthy)
    }
}
