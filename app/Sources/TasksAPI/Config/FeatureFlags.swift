/// Feature flags from `FEATURE_<NAME>` variables, parsed once at start-up and listed by `/version`.
public struct FeatureFlags: Sendable, Equatable {
    /// Flag name (lower case, without the `FEATURE_` prefix) to its state.
    public let values: [String: Bool]

    public init(_ values: [String: Bool] = [:]) {
        self.values = values
    }

    /// Whether the flag `name` (lower case) is on; unknown flags are off.
    public func isEnabled(_ name: String) -> Bool {
        values[name] ?? false
    }

    static let prefix = "FEATURE_"
    private static let trueWords: Set<String> = ["1", "true", "yes", "on"]
    private static let falseWords: Set<String> = ["0", "false", "no", "off"]

    static func read(_ reader: inout EnvironmentReader) -> FeatureFlags {
        var values: [String: Bool] = [:]
        for (key, value) in reader.environment.sorted(by: { $0.key < $1.key }) where key.hasPrefix(prefix) {
            let name = key.dropFirst(prefix.count)
            guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") })
            else {
                reader.report("\(key): a feature flag name is FEATURE_ followed by A-Z, 0-9 or _")
                continue
            }
            let word = value.lowercased()
            if trueWords.contains(word) {
                values[name.lowercased()] = true
            } else if falseWords.contains(word) {
                values[name.lowercased()] = false
            } else {
                reader.report("\(key)=\"\(value.prefix(40))\" must be one of true|false|1|0|yes|no|on|off")
            }
        }
        return FeatureFlags(values)
    }
}
