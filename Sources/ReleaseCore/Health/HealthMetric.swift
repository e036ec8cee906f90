/// The health signals reldash shows, with their default PromQL over the contract's metric names
/// (`$job` stands for the Prometheus job of the API, `api` unless configured).
public enum HealthMetric: String, CaseIterable, Sendable {
    case up
    case requestRate = "request_rate"
    case errorRatio = "error_ratio"
    case latencyP95 = "latency_p95"
    case cpu
    case memory

    /// The default query; every one returns a single series. Built from the contract's names
    /// (`ContractMetric`); the error ratio counts "no 5xx series yet" as 0, so a healthy API that
    /// never failed shows 0 % rather than no value.
    public var defaultQuery: String {
        let requests = ContractMetric.httpRequests.name
        switch self {
        case .up:
            return #"min(up{job="$job"})"#
        case .requestRate:
            return #"sum(rate(\#(requests){job="$job"}[5m]))"#
        case .errorRatio:
            return #"(sum(rate(\#(requests){job="$job",status=~"5.."}[5m])) or vector(0)) / "#
                + #"sum(rate(\#(requests){job="$job"}[5m]))"#
        case .latencyP95:
            return #"histogram_quantile(0.95, sum by (le) (rate(\#(ContractMetric.httpRequestDuration.bucket)"#
                + #"{job="$job"}[5m])))"#
        case .cpu:
            return #"sum(rate(\#(ContractMetric.processCPUSeconds.name){job="$job"}[5m]))"#
        case .memory:
            return #"sum(\#(ContractMetric.processResidentMemory.name){job="$job"})"#
        }
    }

    /// The contract metrics the default query reads (`up` is Prometheus' own and not listed).
    public var sources: [ContractMetric] {
        switch self {
        case .up: return []
        case .requestRate, .errorRatio: return [.httpRequests]
        case .latencyP95: return [.httpRequestDuration]
        case .cpu: return [.processCPUSeconds]
        case .memory: return [.processResidentMemory]
        }
    }

    /// The default thresholds: the API must be up; 5xx over 1 % warns, over 5 % is critical;
    /// p95 over 500 ms warns, over 1 s is critical; CPU over 0.8 / 0.95 cores. Memory and request
    /// rate are shown without judgement.
    public var defaultThreshold: Threshold {
        switch self {
        case .up: return Threshold(warning: nil, critical: 0, higherIsWorse: false)
        case .requestRate: return Threshold(warning: nil, critical: nil, higherIsWorse: true)
        case .errorRatio: return Threshold(warning: 0.01, critical: 0.05, higherIsWorse: true)
        case .latencyP95: return Threshold(warning: 0.5, critical: 1.0, higherIsWorse: true)
        case .cpu: return Threshold(warning: 0.8, critical: 0.95, higherIsWorse: true)
        case .memory: return Threshold(warning: nil, critical: nil, higherIsWorse: true)
        }
    }

    /// The unit of the values, as written in JSON output.
    public var unit: String {
        switch self {
        case .up: return "boolean"
        case .requestRate: return "requests_per_second"
        case .errorRatio: return "ratio"
        case .latencyP95: return "seconds"
        case .cpu: return "cores"
        case .memory: return "bytes"
        }
    }

    /// The label in text output.
    public var label: String {
        switch self {
        case .up: return "up"
        case .requestRate: return "requests"
        case .errorRatio: return "5xx ratio"
        case .latencyP95: return "p95 latency"
        case .cpu: return "cpu"
        case .memory: return "memory"
        }
    }

    /// The value with its unit for text output: `1`, `12.3 req/s`, `0.42 %`, `123 ms`, `0.05 cores`,
    /// `45.2 MiB`; `n/a` when there is no value.
    public func format(_ value: Double?) -> String {
        guard let value, value.isFinite else { return "n/a" }
        switch self {
        case .up: return value >= 1 ? "up" : "down"
        case .requestRate: return "\(decimal(value, places: value < 10 ? 2 : 1)) req/s"
        case .errorRatio: return "\(decimal(value * 100, places: 2)) %"
        case .latencyP95:
            return value < 1 ? "\(decimal(value * 1_000, places: 0)) ms" : "\(decimal(value, places: 2)) s"
        case .cpu: return "\(decimal(value, places: 3)) cores"
        case .memory:
            let units = ["B", "KiB", "MiB", "GiB", "TiB"]
            var scaled = value
            var unit = 0
            while scaled >= 1_024, unit < units.count - 1 {
                scaled /= 1_024
                unit += 1
            }
            return "\(decimal(scaled, places: unit == 0 ? 0 : 1)) \(units[unit])"
        }
    }
}

/// Fixed-point text for a number, without Foundation's formatters (locale-independent).
public func decimal(_ value: Double, places: Int) -> String {
    guard value.isFinite else { return "n/a" }
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    let negative = value < 0 && scaled > 0
    guard scaled < 9.0e18 else { return String(value) }
    let whole = Int64(scaled) / Int64(scale)
    let fraction = Int64(scaled) % Int64(scale)
    var text = String(whole)
    if places > 0 {
        let digits = String(fraction)
        text += "." + String(repeating: "0", count: places - digits.count) + digits
    }
    return negative ? "-" + text : text
}

/// When a value is a warning or critical.
public struct Threshold: Equatable, Sendable {
    public var warning: Double?
    public var critical: Double?
    /// True when larger values are worse (latency); false when smaller are (up).
    public var higherIsWorse: Bool

    public init(warning: Double?, critical: Double?, higherIsWorse: Bool) {
        self.warning = warning
        self.critical = critical
        self.higherIsWorse = higherIsWorse
    }

    /// `critical` when the value reaches the critical threshold (≥ when higher is worse, ≤ when
    /// lower is), `warning` likewise, `ok` otherwise, `unknown` without a value.
    public func classify(_ value: Double?) -> HealthLevel {
        guard let value, value.isFinite else { return .unknown }
        func reaches(_ limit: Double?) -> Bool {
            guard let limit else { return false }
            return higherIsWorse ? value >= limit : value <= limit
        }
        if reaches(critical) { return .critical }
        if reaches(warning) { return .warning }
        return .ok
    }
}

/// The judgement on one value.
public enum HealthLevel: String, Equatable, Sendable {
    case ok
    case warning
    case critical
    case unknown
}
