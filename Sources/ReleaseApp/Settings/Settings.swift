import ReleaseCore

/// reldash's settings, resolved: built-in defaults, then a config file, then environment
/// variables, then flags, each later layer winning (`Settings.resolve`). Every value is typed and
/// checked where it is read, never carried as text between the layers.
public struct Settings: Equatable, Sendable {
    public var deployDir = "./deploy"
    public var prometheusURL = "http://127.0.0.1:9090"
    /// Seconds any command waits for Prometheus in total.
    public var timeout = 3.0
    public var health = HealthSettings()

    public init() {}

    /// These settings with every value `layer` sets replaced.
    public func applying(_ layer: SettingsLayer) -> Settings {
        var settings = self
        if let deployDir = layer.deployDir { settings.deployDir = deployDir.path }
        if let url = layer.prometheusURL { settings.prometheusURL = url.text }
        if let timeout = layer.timeout { settings.timeout = timeout.seconds }
        if let staleAfter = layer.staleAfter { settings.health.staleAfter = staleAfter.seconds }
        if let job = layer.job { settings.health.job = job.name }
        for (target, query) in layer.queries {
            switch target {
            case .metric(let metric): settings.health.queries[metric] = query.text
            case .lastScrape: settings.health.lastScrapeQuery = query.text
            }
        }
        for (key, limit) in layer.thresholds {
            var threshold = settings.health.threshold(for: key.metric)
            switch key.level {
            case .warning: threshold.warning = limit.value
            case .critical: threshold.critical = limit.value
            }
            settings.health.thresholds[key.metric] = threshold
        }
        return settings
    }
}

/// A setting that cannot be used, with where it came from.
public indirect enum SettingsError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownKey(String)
    case invalidValue(key: String, value: String, expected: String)
    case syntax(file: String, line: Int, reason: String)
    case inFile(file: String, line: Int, SettingsError)
    case unreadable(file: String)

    public var description: String {
        switch self {
        case .unknownKey(let key):
            return "unknown setting '\(key)' (known: \(ConfigFile.keys.joined(separator: ", ")))"
        case .invalidValue(let key, let value, let expected):
            return "setting '\(key)': '\(value)' is not \(expected)"
        case .syntax(let file, let line, let reason):
            return "\(file):\(line): \(reason)"
        case .inFile(let file, let line, let error):
            return "\(file):\(line): \(error)"
        case .unreadable(let file):
            return "config file \(file) cannot be read"
        }
    }
}
