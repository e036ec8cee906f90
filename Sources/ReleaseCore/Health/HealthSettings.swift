/// Which PromQL reldash asks and how it judges the answers; defaults follow the metrics contract,
/// a config file or flags override them.
public struct HealthSettings: Equatable, Sendable {
    /// The Prometheus job of the API, substituted for `$job` in queries.
    public var job = "api"
    /// Queries by metric, before `$job` substitution.
    public var queries: [HealthMetric: String]
    public var thresholds: [HealthMetric: Threshold]
    /// Seconds after the API's last scrape when the data counts as stale (health degraded).
    public var staleAfter: Double = 60
    /// The query giving the time of the API's last scrape.
    public var lastScrapeQuery = #"max(timestamp(up{job="$job"}))"#

    public init() {
        var queries: [HealthMetric: String] = [:]
        var thresholds: [HealthMetric: Threshold] = [:]
        for metric in HealthMetric.allCases {
            queries[metric] = metric.defaultQuery
            thresholds[metric] = metric.defaultThreshold
        }
        self.queries = queries
        self.thresholds = thresholds
    }

    /// The query for `metric`, ready to send.
    public func query(for metric: HealthMetric) -> String {
        substitute(queries[metric] ?? metric.defaultQuery)
    }

    /// The last-scrape query, ready to send.
    public var resolvedLastScrapeQuery: String {
        substitute(lastScrapeQuery)
    }

    /// The threshold of `metric`.
    public func threshold(for metric: HealthMetric) -> Threshold {
        thresholds[metric] ?? metric.defaultThreshold
    }

    private func substitute(_ query: String) -> String {
        query.replacingAll("$job", with: job)
    }
}

extension String {
    /// The text with every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.range(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}

extension Substring {
    fileprivate func range(of target: String) -> Range<Index>? {
        guard let first = target.first else { return nil }
        var index = startIndex
        while let candidate = self[index...].firstIndex(of: first) {
            if self[candidate...].hasPrefix(target) {
                return candidate..<self.index(candidate, offsetBy: target.count)
            }
            index = self.index(after: candidate)
        }
        return nil
    }
}
