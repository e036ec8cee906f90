import ReleaseCore

/// The config file: `key = value` lines, `#` comments, blank lines. Each key maps to one typed
/// field of a `SettingsLayer`; errors name the file and the line.
public enum ConfigFile {
    /// The keys a config file accepts, for help and error messages.
    public static let keys: [String] =
        ["deploy_dir", "prometheus_url", "timeout", "job", "stale_after"]
        + QueryTarget.names.map { "query.\($0)" }
        + HealthMetric.allCases.flatMap { ["threshold.\($0.rawValue).warning", "threshold.\($0.rawValue).critical"] }

    /// The layer a config file's text gives; `name` is the file's path, for messages.
    public static func parse(_ text: String, name: String) throws(SettingsError) -> SettingsLayer {
        var layer = SettingsLayer()
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = String(rawLine).trimmingWhitespace()
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            guard let equals = line.firstIndex(of: "=") else {
                throw .syntax(file: name, line: lineNumber, reason: "expected 'key = value'")
            }
            let key = String(line[..<equals]).trimmingWhitespace()
            let value = unquoted(String(line[line.index(after: equals)...]).trimmingWhitespace())
            do {
                try set(key: key, value: value, in: &layer)
            } catch {
                throw .inFile(file: name, line: lineNumber, error)
            }
        }
        return layer
    }

    private static func set(key: String, value: String, in layer: inout SettingsLayer) throws(SettingsError) {
        func parsed<Value: SettingValue>(_ type: Value.Type) throws(SettingsError) -> Value {
            guard let parsed = Value(setting: value) else {
                throw .invalidValue(key: key, value: value, expected: Value.expected)
            }
            return parsed
        }
        switch key {
        case "deploy_dir": layer.deployDir = try parsed(DirectoryPath.self)
        case "prometheus_url": layer.prometheusURL = try parsed(PrometheusURL.self)
        case "timeout": layer.timeout = try parsed(PositiveDuration.self)
        case "stale_after": layer.staleAfter = try parsed(PositiveDuration.self)
        case "job": layer.job = try parsed(JobName.self)
        default:
            let parts = key.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            switch (parts.first, parts.count) {
            case ("query", 2):
                guard let target = QueryTarget(name: parts[1]) else { throw .unknownKey(key) }
                layer.queries[target] = try parsed(PromQL.self)
            case ("threshold", 3):
                guard let metric = HealthMetric(rawValue: parts[1]),
                    let level = SettingsLayer.ThresholdKey.Level(rawValue: parts[2])
                else { throw .unknownKey(key) }
                layer.thresholds[SettingsLayer.ThresholdKey(metric: metric, level: level)] = try parsed(
                    ThresholdLimit.self)
            default:
                throw .unknownKey(key)
            }
        }
    }

    /// `"x"` or `'x'` without its quotes.
    private static func unquoted(_ text: String) -> String {
        guard text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first else {
            return text
        }
        return String(text.dropFirst().dropLast())
    }
}
