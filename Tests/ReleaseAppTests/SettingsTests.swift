import ReleaseApp
import ReleaseCore
import Testing

@Suite("Settings: flags > environment > config file > defaults")
struct SettingsTests {
    private static func resolve(
        flags: SettingsLayer = SettingsLayer(), config: String? = nil, environment: [String: String] = [:]
    ) throws(AppFailure) -> Settings {
        try Settings.resolve(
            flags: flags, configPath: config == nil ? nil : "reldash.conf", environment: environment,
            readFile: { _ in config.map { Array($0.utf8) } })
    }

    @Test("defaults follow the metrics contract, with $job substituted")
    func defaults() throws {
        let settings = try Self.resolve()
        #expect(settings.deployDir == "./deploy")
        #expect(settings.prometheusURL == "http://127.0.0.1:9090")
        #expect(settings.timeout == 3)
        #expect(settings.health.query(for: .requestRate) == #"sum(rate(http_requests_total{job="api"}[5m]))"#)
        #expect(settings.health.query(for: .latencyP95).contains("http_request_duration_seconds_bucket"))
        #expect(settings.health.resolvedLastScrapeQuery == #"max(timestamp(up{job="api"}))"#)
    }

    @Test("a config file overrides queries, thresholds and the rest")
    func configFile() throws {
        let settings = try Self.resolve(
            config: """
                # reldash settings
                prometheus_url = http://127.0.0.1:19090
                timeout = 1.5s
                job = "tasks"
                query.memory = sum(container_memory_usage_bytes)
                query.last_scrape = max(timestamp(up))
                threshold.latency_p95.warning = 0.25
                threshold.latency_p95.critical = none

                stale_after = 2m
                """)
        #expect(settings.prometheusURL == "http://127.0.0.1:19090")
        #expect(settings.timeout == 1.5)
        #expect(settings.health.query(for: .up) == #"min(up{job="tasks"})"#)
        #expect(settings.health.query(for: .memory) == "sum(container_memory_usage_bytes)")
        #expect(settings.health.resolvedLastScrapeQuery == "max(timestamp(up))")
        #expect(
            settings.health.threshold(for: .latencyP95) == Threshold(warning: 0.25, critical: nil, higherIsWorse: true))
        #expect(settings.health.staleAfter == 120)
    }

    @Test("each layer wins over the ones below it, value by value")
    func precedence() throws {
        let config = "deploy_dir = /from/file\nprometheus_url = http://file:9090\ntimeout = 9s\njob = filejob\n"
        let environment = ["RELDASH_DEPLOY_DIR": "/from/env", "RELDASH_TIMEOUT": "7s", "DEPLOY_DIR": "/scripts/env"]
        let flags = SettingsLayer(timeout: PositiveDuration(setting: "5s"))
        let settings = try Self.resolve(flags: flags, config: config, environment: environment)
        #expect(settings.timeout == 5)  // flag over environment and file
        #expect(settings.deployDir == "/from/env")  // RELDASH_DEPLOY_DIR over DEPLOY_DIR and the file
        #expect(settings.prometheusURL == "http://file:9090")  // file over default
        #expect(settings.health.job == "filejob")
        let scriptsVariable = try Self.resolve(environment: ["DEPLOY_DIR": "/scripts/env", "RELDASH_TIMEOUT": ""])
        #expect(scriptsVariable.deployDir == "/scripts/env")
        #expect(scriptsVariable.timeout == 3)  // an empty variable counts as unset
    }

    @Test("RELDASH_CONFIG names the file when no flag does; an unreadable file is a usage error")
    func configFromEnvironment() {
        #expect {
            try Settings.resolve(
                flags: SettingsLayer(), configPath: nil, environment: ["RELDASH_CONFIG": "/etc/missing.conf"],
                readFile: { _ in nil })
        } throws: { error in
            let failure = error as? AppFailure
            return failure?.code == "config_unreadable" && failure?.status == .usage
                && failure?.message == "config file /etc/missing.conf cannot be read"
        }
    }

    @Test("a bad environment value names its variable")
    func badEnvironment() {
        #expect {
            try Self.resolve(environment: ["RELDASH_TIMEOUT": "soon"])
        } throws: { error in
            (error as? AppFailure)?.message
                == "setting 'RELDASH_TIMEOUT': 'soon' is not a positive duration such as 3, 2.5s, 2m"
        }
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
            ("query.up.x = 1", "reldash.conf:1: unknown setting 'query.up.x'"),
        ])
    func badSettings(text: String, message: String) {
        #expect {
            try ConfigFile.parse(text, name: "reldash.conf")
        } throws: { error in
            "\(error)".hasPrefix(message)
        }
    }

    @Test(
        "typed values refuse what the old string keys let through to run time",
        arguments: [
            ("0", false), ("-3s", false), ("3", true), ("2.5s", true), ("2m", true), ("soon", false), ("", false),
        ])
    func durations(text: String, valid: Bool) {
        #expect((PositiveDuration(setting: text) != nil) == valid)
    }

    @Test("--query NAME=PROMQL and release selectors parse into typed values")
    func queryAndSelector() {
        #expect(QueryOverride(setting: "up=min(up)")?.target == .metric(.up))
        #expect(QueryOverride(setting: "last_scrape=x")?.target == .lastScrape)
        #expect(QueryOverride(setting: "latency=x") == nil)
        #expect(QueryOverride(setting: "up=") == nil)
        #expect(QueryOverride(setting: "up") == nil)
        #expect(ReleaseSelector(setting: "current") == .current)
        #expect(ReleaseSelector(setting: "20261124T181500Z") == .id(ReleaseID("20261124T181500Z")!))
        #expect(ReleaseSelector(setting: "latest") == nil)
        #expect(ReleaseIDValue(setting: "20261399T000000Z") == nil)
    }
}
