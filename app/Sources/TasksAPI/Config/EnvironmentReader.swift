/// Reads typed values from environment variables and collects every problem instead of stopping at the first.
///
/// Each accessor returns a usable fallback when the value is invalid, so parsing can continue; callers check
/// ``problems`` at the end and refuse to start when it is not empty.
struct EnvironmentReader {
    let environment: [String: String]
    private(set) var problems: [String] = []

    init(_ environment: [String: String]) {
        self.environment = environment
    }

    /// The raw value, with an empty string treated as unset (compose writes `VAR=` for unset variables).
    func raw(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    mutating func report(_ problem: String) {
        problems.append(problem)
    }

    mutating func string(_ name: String, default fallback: String) -> String {
        raw(name) ?? fallback
    }

    mutating func requiredString(_ name: String, hint: String) -> String {
        guard let value = raw(name) else {
            report("\(name) is required (\(hint))")
            return ""
        }
        return value
    }

    mutating func choice<T: RawRepresentable>(_ name: String, default fallback: T) -> T
    where T.RawValue == String, T: CaseIterable {
        guard let value = raw(name) else { return fallback }
        guard let parsed = T(rawValue: value.lowercased()) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: "|")
            report("\(name)=\(quoted(value)) is not one of \(allowed)")
            return fallback
        }
        return parsed
    }

    mutating func integer(_ name: String, default fallback: Int, range: ClosedRange<Int>) -> Int {
        guard let value = raw(name) else { return fallback }
        guard let parsed = Int(value), range.contains(parsed) else {
            report("\(name)=\(quoted(value)) must be an integer in \(range.lowerBound)...\(range.upperBound)")
            return fallback
        }
        return parsed
    }

    mutating func number(_ name: String, default fallback: Double, range: ClosedRange<Double>) -> Double {
        guard let value = raw(name) else { return fallback }
        guard let parsed = Double(value), parsed.isFinite, range.contains(parsed) else {
            report(
                "\(name)=\(quoted(value)) must be a number in \(format(range.lowerBound))...\(format(range.upperBound))"
            )
            return fallback
        }
        return parsed
    }

    /// A duration given in seconds (decimals allowed, e.g. `0.5`).
    mutating func seconds(_ name: String, default fallback: Double, range: ClosedRange<Double>) -> Duration {
        let value = number(name, default: fallback, range: range)
        return .milliseconds(Int64((value * 1000).rounded()))
    }

    /// Values are shown to help the operator, cut short so a pasted secret does not end up whole in a log.
    private func quoted(_ value: String) -> String {
        let shown = value.count > 40 ? String(value.prefix(40)) + "…" : value
        return "\"\(shown)\""
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
