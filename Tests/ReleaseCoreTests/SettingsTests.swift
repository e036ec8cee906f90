import ReleaseCore
import Testing

@Suite("Settings and config file")
struct SettingsTests {
    @Test("defaults follow the metrics contract, with $job substituted")
    func defaults() {
        let settings = Settings()
        #expect(settings.deployDir == "./deploy")
        #expect(settings.prometheusURL == "http://127.0.0.1:9090")
        #expect(settings.timeout == 3)
        #expect(settings.health.query(for: .requestRate) == #"sum(rate(http_requests_total{job="api"}[5m]))"#)
        #expect(settings.health.query(for: .latencyP95).contains("http_request_duration_seconds_bucket"))
        #expect(settings.health.resolvedLastScrapeQuery == #"max(timestamp(up{job="api"}))"#)
    }

    @Test("a config file overrides queries, thresholds and the rest")
    func configFile() throws {
        var settings = Settings()
        try settings.apply(
            configFile: """
                # reldash settings
                prometheus_url = http://127.0.0.1:19090
                timeout = 1.5s
                job = "tasks"
                query.memory = sum(container_memory_usage_bytes)
                threshold.latency_p95.warning = 0.25
                threshold.latency_p95.critical = none

                stale_after = 2m
                """, name: "reldash.conf")
        #expect(settings.prometheusURL == "http://127.0.0.1:19090")
        #expect(settings.timeout == 1.5)
        #expect(settings.health.query(for: .up) == #"min(up{job="tasks"})"#)
        #expect(settings.health.query(for: .memory) == "sum(container_memory_usage_bytes)")
        #expect(
            settings.health.threshold(for: .latencyP95) == Threshold(warning: 0.25, critical: nil, higherIsWorse: true))
        #expect(settings.health.staleAfter == 120)
    }

    @Test(
        "names the file and line of a bad setting",
        arguments: [
            ("timeout = soon", "reldash.conf:1: setting 'timeout': 'soon' is not a positive duration"),
            ("\n\nquery.latency = x", "reldash.conf:3: unknown setting 'query.latency'"),
            ("just words", "reldash.conf:1: expected 'key = value'"),
            (
                "prometheus_url = 127.0.0.1:9090",
                "reldash.conf:1: setting 'prometheus_url': '127.0.0.1:9090' is not an http"
            ),
            ("threshold.cpu.warning = high", "reldash.conf:1: setting 'threshold.cpu.warning': 'high' is not a number"),
            ("threshold.cpu.major = 1", "reldash.conf:1: unknown setting 'threshold.cpu.major'"),
        ])
    func badSettings(text: String, message: String) {
        var settings = Settings()
        #expect {
            try settings.apply(configFile: text, name: "reldash.conf")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }
}
