/// The feature flags this build knows: a typed list with a default and a description each. A deployment sets them
/// with `FEATURE_<NAME>` variables (per environment: `deploy/env/<env>.env`); `/version` and the
/// `app_feature_enabled` metric show their state.
public enum FeatureFlag: String, CaseIterable, Sendable {
    /// `GET /api/v1/tasks?q=TEXT`: only the tasks whose title contains TEXT (case-insensitive).
    case taskSearch = "task_search"

    /// The state when no `FEATURE_<NAME>` variable sets it.
    public var defaultValue: Bool {
        switch self {
        case .taskSearch: return false
        }
    }

    /// What turning the flag on changes, for people reading `--help` output and the docs.
    public var summary: String {
        switch self {
        case .taskSearch: return "GET /api/v1/tasks accepts q=TEXT: tasks whose title contains TEXT"
        }
    }

    /// The environment variable that sets it: `FEATURE_` and the name in upper case.
    public var variable: String { FeatureFlags.prefix + rawValue.uppercased() }
}

/// The state of every ``FeatureFlag``, parsed once at start-up from `FEATURE_<NAME>` variables.
public struct FeatureFlags: Sendable, Equatable {
    /// Every known flag's name (as `/version` lists it) to its state.
    public let values: [String: Bool]

    /// The defaults, overridden by `overrides`.
    public init(_ overrides: [FeatureFlag: Bool] = [:]) {
        var values: [String: Bool] = [:]
        for flag in FeatureFlag.allCases {
            values[flag.rawValue] = overrides[flag] ?? flag.defaultValue
        }
        self.values = values
    }

    /// Whether `flag` is on.
    public func isEnabled(_ flag: FeatureFlag) -> Bool {
        values[flag.rawValue] ?? flag.defaultValue
    }

    static let prefix = "FEATURE_"
    private static let trueWords: Set<String> = ["1", "true", "yes", "on"]
    private static let falseWords: Set<String> = ["0", "false", "no", "off"]

    static func read(_ reader: inout EnvironmentReader) -> FeatureFlags {
        var overrides: [FeatureFlag: Bool] = [:]
        let known = FeatureFlag.allCases.map(\.variable).sorted().joined(separator: ", ")
        for (key, value) in reader.environment.sorted(by: { $0.key < $1.key }) where key.hasPrefix(prefix) {
            guard let flag = FeatureFlag.allCases.first(where: { $0.variable == key }) else {
                reader.report("\(key) is not a feature flag of this build; known flags: \(known)")
                continue
            }
            let word = value.lowercased()
            if word.isEmpty {
                continue
            } else if trueWords.contains(word) {
                overrides[flag] = true
            } else if falseWords.contains(word) {
                overrides[flag] = false
            } else {
                reader.report("\(key)=\"\(value.prefix(40))\" must be one of true|false|1|0|yes|no|on|off")
            }
        }
        return FeatureFlags(overrides)
    }
}
