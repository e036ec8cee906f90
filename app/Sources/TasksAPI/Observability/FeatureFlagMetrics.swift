import Prometheus

/// `app_feature_enabled{flag}`: 1 for each flag that is on, 0 for each that is off, so dashboards and alerts can
/// tell which behaviour a release serves. One series per known flag (bounded by the typed list).
enum FeatureFlagMetrics {
    static func register(_ flags: FeatureFlags, in registry: PrometheusCollectorRegistry) {
        for flag in FeatureFlag.allCases {
            registry.makeGauge(
                name: ExportedMetric.featureEnabled.name,
                labels: [("flag", flag.rawValue)],
                help: "1 when the feature flag is on in this process, 0 when it is off."
            ).set(to: flags.isEnabled(flag) ? 1 : 0)
        }
    }
}
