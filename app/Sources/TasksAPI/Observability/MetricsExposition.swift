import Prometheus

/// Everything `/metrics` shows: the registry (HTTP metrics, `app_build_info`, `app_feature_enabled`) and the process metrics.
public struct MetricsExposition: Sendable {
    let registry: PrometheusCollectorRegistry
    let processMetrics: @Sendable () -> ProcessMetrics?

    public init(
        registry: PrometheusCollectorRegistry,
        build: BuildInfo,
        features: FeatureFlags = FeatureFlags(),
        processMetrics: @escaping @Sendable () -> ProcessMetrics? = ProcessMetrics.current
    ) {
        self.registry = registry
        self.processMetrics = processMetrics
        registry.makeGauge(
            name: ExportedMetric.buildInfo.name,
            labels: [("version", build.version), ("commit", build.commit), ("release_id", build.releaseID)],
            help: "Always 1; the labels identify the running build and release."
        ).set(to: 1)
        FeatureFlagMetrics.register(features, in: registry)
    }

    /// The Prometheus text format (version 0.0.4).
    public func render() -> String {
        registry.emitToString() + (processMetrics()?.exposition ?? "")
    }
}
