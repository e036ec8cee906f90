/// reldash's settings: built-in defaults, then a config file, then environment variables, then
/// flags (each later source wins). ReleaseCore parses and checks them; reldash gathers them.
public struct Settings: Equatable, Sendable {
    public var deployDir = "./deploy"
    public var prometheusURL = "http://127.0.0.1:9090"
    /// Seconds any command waits for Prometheus in total.
    public var timeout = 3.0
    public var health = HealthSettings()

    public init() {}

    /// The keys a config file (and `--set`) accepts, for help and error messages.
    public static let keys: [String] =
        ["deploy_dir", "prometheus_url", "timeout", "job", "stale_after"]
        + HealthMetric.allCases.map { "query.\($0.rawValue)" } + ["query.last_scrape"]
        + HealthMetric.allCases.flatMap { ["threshold.\($0.rawValue).warning", "threshold.\($0.rawValue).critical"] }

    /// Sets one key (`timeout = 5s`, `query.up = ...`, `threshold.cpu.warning = none`).
    public mutating func apply(key: String, value: String) throws(SettingsError) {
        switch key {
        case "deploy_dir":
            guard !value.isEmpty else { throw .invalidValue(key: key, value: value, expected: "a directory path") }
            deployDir = value
        case "prometheus_url":
            guard value.hasPrefix("http://") || value.hasPrefix("https://") else {
                throw .invalidValue(key: key, value: value, expected: "an http:// or https:// URL")
            }
            prometheusURL = value
        case "timeout":
            timeout = try Settings.duration(key: key, value)
        case "stale_after":
            health.staleAfter = try Settings.duration(key: key, value)
        case "job":
            guard !value.isEmpty, !value.contains("\"") else {
                throw .invalidValue(key: key, value: value, expected: "a Prometheus job name")
            }
            health.job = value
        case "query.last_scrape":
            guard !value.isEmpty else { throw .invalidValue(key: key, value: value, expected: "a PromQL expression") }
            health.lastScrapeQuery = value
        default:
            try applyMetricKey(key: key, value: value)
        }
    }

    private mutating func applyMetricKey(key: String, value: String) throws(SettingsError) {
        let parts = key.split(separator: ".").map(String.init)
        guard parts.count >= 2, let metric = HealthMetric(rawValue: parts[1]) else { throw .unknownKey(key) }
        switch (parts[0], parts.count, parts.last) {
        case ("query", 2, _):
            guard !value.isEmpty else { throw .invalidValue(key: key, value: value, expected: "a PromQL expression") }
            health.queries[metric] = value
        case ("threshold", 3, "warning"):
            health.thresholds[metric, default: metric.defaultThreshold].warning = try Settings.limit(key: key, value)
        case ("threshold", 3, "critical"):
            health.thresholds[metric, default: metric.defaultThreshold].critical = try Settings.limit(key: key, value)
        default:
            throw .unknownKey(key)
        }
    }

    /// Reads a config file: `key = value` lines, `#` comments, blank lines; errors name the line.
    public mutating func apply(configFile text: String, name: String) throws(SettingsError) {
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.trimmingWhitespace()
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw .syntax(file: name, line: lineNumber, reason: "expected 'key = value'")
            }
            let key = line[..<equals].trimmingWhitespace()
            let value = line[line.index(after: equals)...].trimmingWhitespace().unquoted()
            do {
                try apply(key: key, value: value)
            } catch {
                throw .inFile(file: name, line: lineNumber, error)
            }
        }
    }

    private static func duration(key: String, _ value: String) throws(SettingsError) -> Double {
        guard let seconds = DurationText.parse(value) else {
            throw .invalidValue(key: key, value: value, expected: "a positive duration such as 3, 2.5s, 2m")
        }
        return seconds
    }

    private static func limit(key: String, _ value: String) throws(SettingsError) -> Double? {
        if value == "none" { return nil }
        guard let number = Double(value), number.isFinite else {
            throw .invalidValue(key: key, value: value, expected: "a number, or none")
        }
        return number
    }
}

/// A setting that cannot be used, with where it came from.
public indirect enum SettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownKey(String)
    case invalidValue(key: String, value: String, expected: String)
    case syntax(file: String, line: Int, reason: String)
    case inFile(file: String, line: Int, SettingsError)

    public var description: String {
        switch self {
        case .unknownKey(let key):
            return "unknown setting '\(key)' (known: \(Settings.keys.joined(separator: ", ")))"
        case .invalidValue(let key, let value, let expected):
            return "setting '\(key)': '\(value)' is not \(expected)"
        case .syntax(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        case .inFile(let file, let line, let error):
            return "\(file):\(line): \(error)"
        }
    }
}
