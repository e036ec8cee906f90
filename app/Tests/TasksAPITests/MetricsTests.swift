import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TasksAPI

@Suite("Metrics contract")
struct MetricsTests {
    /// Sample lines `name{labels} value` of the exposition, without comments.
    private func samples(_ text: String, named name: String) -> [String] {
        text.split(separator: "\n").map(String.init).filter { $0.hasPrefix(name + "{") || $0.hasPrefix(name + " ") }
    }

    private func labelNames(_ sample: String) -> [String] {
        guard let open = sample.firstIndex(of: "{"), let close = sample.lastIndex(of: "}") else { return [] }
        return sample[sample.index(after: open)..<close].split(separator: ",").map {
            String($0.split(separator: "=")[0])
        }
    }

    @Test func httpMetricsUseContractNamesLabelsAndRouteTemplates() async throws {
        try await TestApp().run { client in
            let id = try await client.execute(
                uri: "/api/v1/tasks",
                method: .post,
                headers: jsonHeaders,
                body: .json(#"{"title":"m"}"#)
            ) { try $0.json["id"] as! String }
            try await client.execute(uri: "/api/v1/tasks/\(id)", method: .get)
            try await client.execute(uri: "/api/v1/tasks/\(UUID().uuidString)", method: .get)
            try await client.execute(uri: "/no/such/\(UUID().uuidString)", method: .get)
            let text = try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                return response.text
            }
            let requests = samples(text, named: "http_requests_total")
            #expect(requests.allSatisfy { labelNames($0) == ["method", "route", "status"] })
            #expect(requests.contains(#"http_requests_total{method="POST",route="/api/v1/tasks",status="201"} 1"#))
            #expect(requests.contains(#"http_requests_total{method="GET",route="/api/v1/tasks/{id}",status="200"} 1"#))
            #expect(requests.contains(#"http_requests_total{method="GET",route="/api/v1/tasks/{id}",status="404"} 1"#))
            #expect(requests.contains(#"http_requests_total{method="GET",route="unmatched",status="404"} 1"#))
            #expect(!text.contains(id), "a raw path leaked into a label")
            #expect(text.contains("# TYPE http_requests_total counter"))
            #expect(text.contains("# TYPE http_request_duration_seconds histogram"))
            for suffix in ["_bucket", "_sum", "_count"] {
                let series = samples(text, named: "http_request_duration_seconds" + suffix)
                #expect(!series.isEmpty)
                let expected = suffix == "_bucket" ? ["method", "route", "le"] : ["method", "route"]
                #expect(series.allSatisfy { labelNames($0) == expected }, "\(series.first ?? "")")
            }
            #expect(text.contains(#"app_build_info{version="1.2.3",commit="0123abc",release_id="20261124T181500Z"} 1"#))
        }
    }

    @Test func processMetricsArePresentOnLinux() async throws {
        #if os(Linux)
            try await TestApp().run { client in
                let text = try await client.execute(uri: "/metrics", method: .get) { $0.text }
                for (name, type) in [
                    ("process_cpu_seconds_total", "counter"), ("process_resident_memory_bytes", "gauge"),
                    ("process_start_time_seconds", "gauge"), ("process_open_fds", "gauge"),
                ] {
                    #expect(text.contains("# TYPE \(name) \(type)"))
                    let value = try #require(
                        samples(text, named: name).first?.split(separator: " ").last.flatMap { Double($0) })
                    #expect(value > 0, "\(name) = \(value)")
                }
            }
        #endif
    }

    @Test func methodsOutsideTheKnownSetAreCountedAsOther() async throws {
        try await TestApp().run { client in
            try await client.execute(uri: "/healthz", method: HTTPRequest.Method("BREW")!)
            let text = try await client.execute(uri: "/metrics", method: .get) { $0.text }
            #expect(text.contains(#"http_requests_total{method="OTHER",route="/healthz",status="405"} 1"#))
        }
    }

    @Test func procStatIsParsedEvenWithSpacesInTheCommandName() throws {
        let stat =
            "4242 (tasks api) S 1 4242 4242 0 -1 4194560 900 0 0 0 250 150 0 0 20 0 9 0 12345 1000000 2048 "
            + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0"
        let metrics = try #require(
            ProcessMetrics.parse(
                stat: stat,
                systemStat: "cpu  1 2 3\nbtime 1700000000\nprocesses 10\n",
                ticksPerSecond: 100,
                pageSize: 4096,
                openFDs: 12
            )
        )
        #expect(
            metrics
                == ProcessMetrics(
                    cpuSecondsTotal: 4, residentMemoryBytes: 2048 * 4096, startTimeSeconds: 1_700_000_123.45,
                    openFileDescriptors: 12))
    }
}
