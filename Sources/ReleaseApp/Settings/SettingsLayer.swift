import ReleaseCore

/// The settings one source gives (flags, environment, config file), typed; nil or absent means
/// "this source does not say".
public struct SettingsLayer: Equatable, Sendable {
    /// A threshold a layer sets: which metric, which level.
    public struct ThresholdKey: Hashable, Sendable {
        public enum Level: String, Hashable, Sendable {
            case warning
            case critical
        }

        public var metric: HealthMetric
        public var level: Level

        public init(metric: HealthMetric, level: Level) {
            self.metric = metric
            self.level = level
        }
    }

    public var deployDir: DirectoryPath?
    public var prometheusURL: PrometheusURL?
    public var timeout: PositiveDuration?
    public var staleAfter: PositiveDuration?
    public var job: JobName?
    public var queries: [QueryTarget: PromQL]
    public var thresholds: [ThresholdKey: ThresholdLimit]

    public init(
        deployDir: DirectoryPath? = nil, prometheusURL: PrometheusURL? = nil, timeout: PositiveDuration? = nil,
        staleAfter: PositiveDuration? = nil, job: JobName? = nil, queries: [QueryTarget: PromQL] = [:],
        thresholds: [ThresholdKey: ThresholdLimit] = [:]
    ) {
        self.deployDir = deployDir
        self.prometheusURL = prometheusURL
        self.timeout = timeout
        self.staleAfter = staleAfter
        self.job = job
        self.queries = queries
        self.thresholds = thresholds
    }

    /// The variables reldash reads: `RELDASH_DEPLOY_DIR` (then the scripts' `DEPLOY_DIR`),
    /// `RELDASH_PROMETHEUS_URL`, `RELDASH_TIMEOUT`. Empty variables count as unset; a bad value
    /// names its variable.
    public static func environment(_ environment: [String: String]) throws(SettingsError) -> SettingsLayer {
        func value<Value: SettingValue>(_ names: String..., as type: Value.Type) throws(SettingsError) -> Value? {
            for name in names {
                guard let text = environment[name], !text.isEmpty else { continue }
                guard let parsed = Value(setting: text) else {
                    throw .invalidValue(key: name, value: text, expected: Value.expected)
                }
                return parsed
            }
            return nil
        }
        return SettingsLayer(
            deployDir: try value("RELDASH_DEPLOY_DIR", "DEPLOY_DIR", as: DirectoryPath.self),
            prometheusURL: try value("RELDASH_PROMETHEUS_URL", as: PrometheusURL.self),
            timeout: try value("RELDASH_TIMEOUT", as: PositiveDuration.self))
    }
}
