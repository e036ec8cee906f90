/// Every metric `/metrics` shows, named once: the metric contract (`contract/metrics.tsv` at the
/// repository root) lists the same names, types and labels, and `MetricContractTests` holds the
/// real exposition equal to that file, so a rename here fails a test before a dashboard goes empty.
public enum ExportedMetric: String, CaseIterable, Sendable {
    case httpRequests = "http_requests_total"
    case httpRequestDuration = "http_request_duration_seconds"
    case processCPUSeconds = "process_cpu_seconds_total"
    case processResidentMemory = "process_resident_memory_bytes"
    case processStartTime = "process_start_time_seconds"
    case processOpenFileDescriptors = "process_open_fds"
    case buildInfo = "app_build_info"
    case featureEnabled = "app_feature_enabled"

    /// The metric name as exported.
    public var name: String { rawValue }
}
