/// The API's metrics as the metric contract (`contract/metrics.tsv`) names them. reldash's default
/// queries are built from these names (`HealthMetric.sources` says which), and a unit test holds
/// this list equal to the contract file, so a rename on either side fails a test instead of
/// emptying a series.
public enum ContractMetric: String, CaseIterable, Sendable {
    case httpRequests = "http_requests_total"
    case httpRequestDuration = "http_request_duration_seconds"
    case processCPUSeconds = "process_cpu_seconds_total"
    case processResidentMemory = "process_resident_memory_bytes"
    case processStartTime = "process_start_time_seconds"
    case processOpenFileDescriptors = "process_open_fds"
    case buildInfo = "app_build_info"
    /// 1 or 0 per feature flag of the running API (`flag` label): not read by a default query.
    case featureEnabled = "app_feature_enabled"

    /// The Prometheus metric types the contract uses.
    public enum Kind: String, Sendable {
        case counter
        case gauge
        case histogram
    }

    /// The metric name as exported (a histogram's series add `_bucket`, `_sum`, `_count`).
    public var name: String { rawValue }

    public var kind: Kind {
        switch self {
        case .httpRequests, .processCPUSeconds: return .counter
        case .httpRequestDuration: return .histogram
        case .processResidentMemory, .processStartTime, .processOpenFileDescriptors, .buildInfo, .featureEnabled:
            return .gauge
        }
    }

    /// The label names, in exposition order (`le` of histogram buckets not included).
    public var labels: [String] {
        switch self {
        case .httpRequests: return ["method", "route", "status"]
        case .httpRequestDuration: return ["method", "route"]
        case .buildInfo: return ["version", "commit", "release_id"]
        case .featureEnabled: return ["flag"]
        case .processCPUSeconds, .processResidentMemory, .processStartTime, .processOpenFileDescriptors: return []
        }
    }

    /// The series name of a histogram's buckets.
    public var bucket: String { rawValue + "_bucket" }
}
