import ReleaseCore

/// A value a setting holds, parsed once from the text of a flag, a variable or a config line.
/// Front ends make flags of these types (`ExpressibleByArgument`), so a bad value is a usage error
/// at parse time.
public protocol SettingValue: Sendable {
    /// What a valid value looks like, for messages: `a positive duration such as 3, 2.5s, 2m`.
    static var expected: String { get }
    /// nil when `text` is not a valid value.
    init?(setting text: String)
}

/// A directory path (not checked for existence here: commands report a missing one).
public struct DirectoryPath: SettingValue, Equatable {
    public static let expected = "a directory path"
    public let path: String

    public init?(setting text: String) {
        guard !text.isEmpty else { return nil }
        path = text
    }
}

/// A duration above zero, in seconds: `3`, `2.5s`, `2m`, `1h`.
public struct PositiveDuration: SettingValue, Equatable {
    public static let expected = "a positive duration such as 3, 2.5s, 2m"
    public let seconds: Double

    public init?(setting text: String) {
        guard let seconds = DurationText.parse(text) else { return nil }
        self.seconds = seconds
    }
}

/// The root URL of a Prometheus server.
public struct PrometheusURL: SettingValue, Equatable {
    public static let expected = "an http:// or https:// URL"
    public let text: String

    public init?(setting text: String) {
        guard text.hasPrefix("http://") || text.hasPrefix("https://") else { return nil }
        self.text = text
    }
}

/// A Prometheus job name, substituted for `$job` in queries.
public struct JobName: SettingValue, Equatable {
    public static let expected = "a Prometheus job name"
    public let name: String

    public init?(setting text: String) {
        guard !text.isEmpty, !text.contains("\"") else { return nil }
        name = text
    }
}

/// A PromQL expression (Prometheus checks the syntax; here only that there is one).
public struct PromQL: SettingValue, Equatable {
    public static let expected = "a PromQL expression"
    public let text: String

    public init?(setting text: String) {
        guard !text.trimmingWhitespace().isEmpty else { return nil }
        self.text = text
    }
}

/// A threshold limit: a number, or `none` for no limit.
public struct ThresholdLimit: SettingValue, Equatable {
    public static let expected = "a number, or none"
    public let value: Double?

    public init?(setting text: String) {
        if text == "none" {
            value = nil
            return
        }
        guard let number = Double(text), number.isFinite else { return nil }
        value = number
    }
}

/// Which query a `--query NAME=PROMQL` or `query.NAME` replaces.
public enum QueryTarget: Hashable, Sendable {
    case metric(HealthMetric)
    case lastScrape

    /// `up`, `request_rate`, ... or `last_scrape`.
    public init?(name: String) {
        if name == "last_scrape" {
            self = .lastScrape
        } else if let metric = HealthMetric(rawValue: name) {
            self = .metric(metric)
        } else {
            return nil
        }
    }

    public static let names = HealthMetric.allCases.map(\.rawValue) + ["last_scrape"]
}

/// `NAME=PROMQL`: one replaced health query.
public struct QueryOverride: SettingValue, Equatable {
    public static let expected = "NAME=PROMQL with NAME one of \(QueryTarget.names.joined(separator: ", "))"
    public let target: QueryTarget
    public let query: PromQL

    public init?(setting text: String) {
        guard let equals = text.firstIndex(of: "="), let target = QueryTarget(name: String(text[..<equals])),
            let query = PromQL(setting: String(text[text.index(after: equals)...]))
        else { return nil }
        self.target = target
        self.query = query
    }
}

/// A release named on the command line: an id, or `current`.
public enum ReleaseSelector: SettingValue, Equatable {
    case current
    case id(ReleaseID)

    public static let expected = "a release id (YYYYMMDDTHHMMSSZ, e.g. 20261124T181500Z) or 'current'"

    public init?(setting text: String) {
        if text == "current" {
            self = .current
        } else if let id = ReleaseID(text) {
            self = .id(id)
        } else {
            return nil
        }
    }
}

/// A release id given as a value (`--to`).
public struct ReleaseIDValue: SettingValue, Equatable {
    public static let expected = "a release id (YYYYMMDDTHHMMSSZ, e.g. 20261124T181500Z)"
    public let id: ReleaseID

    public init?(setting text: String) {
        guard let id = ReleaseID(text) else { return nil }
        self.id = id
    }
}
