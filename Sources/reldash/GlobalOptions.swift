import ArgumentParser
import ReleaseApp

/// Options every subcommand takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Deploy directory (releases/, current, history.jsonl).",
            discussion: "Default: RELDASH_DEPLOY_DIR, then DEPLOY_DIR, then the config file, then ./deploy.",
            valueName: "dir"))
    var deployDir: Parsed<DirectoryPath>?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Prometheus server root URL (http:// or https://).",
            discussion: "Default: RELDASH_PROMETHEUS_URL, then the config file, then http://127.0.0.1:9090.",
            valueName: "url"))
    var prometheusURL: Parsed<PrometheusURL>?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Longest wait for Prometheus, e.g. 3, 2.5s, 1m (default 3s; RELDASH_TIMEOUT).", valueName: "duration"))
    var timeout: Parsed<PositiveDuration>?

    @Option(
        name: .long,
        help: ArgumentHelp("Config file of 'key = value' lines (RELDASH_CONFIG).", valueName: "file"))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp("Prometheus job of the API, substituted for $job (default api).", valueName: "name"))
    var job: Parsed<JobName>?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Replace a health query: NAME=PROMQL, NAME one of up, request_rate, error_ratio, latency_p95, cpu, "
                + "memory, last_scrape (repeatable).",
            valueName: "name=promql"))
    var query: [Parsed<QueryOverride>] = []

    @Flag(name: .long, help: "No ANSI colours (also when NO_COLOR is set or stdout is not a terminal).")
    var noColor = false

    @Flag(name: .long, help: "Print one JSON document (schema_version 1) on stdout; errors as JSON on stderr.")
    var json = false

    /// What the flags say, as the top settings layer.
    var layer: SettingsLayer {
        var queries: [QueryTarget: PromQL] = [:]
        for override in query { queries[override.value.target] = override.value.query }
        return SettingsLayer(
            deployDir: deployDir?.value, prometheusURL: prometheusURL?.value, timeout: timeout?.value,
            job: job?.value, queries: queries)
    }
}
