/// One metric as fetched: its query, its series (or why there is none) and its judgement.
public struct HealthReading: Equatable, Sendable {
    public var metric: HealthMetric
    public var query: String
    public var series: HealthSeries?
    public var failure: PrometheusFailure?
    public var threshold: Threshold

    public init(
        metric: HealthMetric, query: String, series: HealthSeries?, failure: PrometheusFailure?, threshold: Threshold
    ) {
        self.metric = metric
        self.query = query
        self.series = series
        self.failure = failure
        self.threshold = threshold
    }

    /// The latest value of the series, nil when there is none.
    public var latest: Double? { series?.latest?.value }

    public var level: HealthLevel { threshold.classify(latest) }
}

/// The overall verdict on the API's health.
public enum OverallHealth: String, Equatable, Sendable {
    /// Up, fresh data, nothing over a threshold, no alert firing.
    case healthy
    /// Down, stale data, a value over a threshold, or an alert firing.
    case degraded
    /// Prometheus answers but has no data about the API (e.g. the job is not scraped).
    case unknown
    /// Prometheus could not be asked (down, slow, refusing).
    case unavailable
}

/// Everything fetched from Prometheus for one view, and the verdict drawn from it.
public struct HealthSnapshot: Equatable, Sendable {
    public var prometheusURL: String
    /// When the fetch started (the "now" given to it).
    public var fetchedAt: Timestamp
    public var plan: QueryRangePlan
    /// Set when Prometheus as a whole could not be used; readings are then empty.
    public var unavailable: PrometheusFailure?
    public var readings: [HealthReading]
    /// nil when the alerts could not be fetched (see `alertsFailure`).
    public var alerts: [PrometheusAPI.Alert]?
    public var alertsFailure: PrometheusFailure?
    /// The time of the API's last scrape; nil when unknown.
    public var lastScrape: Timestamp?
    public var staleAfter: Double

    public init(
        prometheusURL: String, fetchedAt: Timestamp, plan: QueryRangePlan, unavailable: PrometheusFailure?,
        readings: [HealthReading], alerts: [PrometheusAPI.Alert]?, alertsFailure: PrometheusFailure?,
        lastScrape: Timestamp?, staleAfter: Double
    ) {
        self.prometheusURL = prometheusURL
        self.fetchedAt = fetchedAt
        self.plan = plan
        self.unavailable = unavailable
        self.readings = readings
        self.alerts = alerts
        self.alertsFailure = alertsFailure
        self.lastScrape = lastScrape
        self.staleAfter = staleAfter
    }

    /// A snapshot for when Prometheus could not be used at all.
    public static func unavailable(
        _ failure: PrometheusFailure, prometheusURL: String, fetchedAt: Timestamp, plan: QueryRangePlan,
        staleAfter: Double
    ) -> HealthSnapshot {
        HealthSnapshot(
            prometheusURL: prometheusURL, fetchedAt: fetchedAt, plan: plan, unavailable: failure, readings: [],
            alerts: nil, alertsFailure: nil, lastScrape: nil, staleAfter: staleAfter)
    }

    /// The reading of `metric`, when fetched.
    public func reading(_ metric: HealthMetric) -> HealthReading? {
        readings.first { $0.metric == metric }
    }

    /// Alerts in state firing (pending ones are not counted); nil when alerts are unknown.
    public var firingAlerts: [PrometheusAPI.Alert]? {
        alerts?.filter { $0.state == "firing" }
    }

    /// Seconds since the API's last scrape, at `now`.
    public func dataAge(now: Timestamp) -> Double? {
        lastScrape.map { max(0, now.seconds(since: $0)) }
    }

    /// The verdict and the reasons behind it (empty when healthy).
    public func verdict(now: Timestamp) -> (OverallHealth, [String]) {
        if let unavailable { return (.unavailable, [unavailable.description]) }
        guard let up = reading(.up), let upValue = up.latest else {
            let why = reading(.up)?.failure.map(\.description) ?? "no 'up' sample for the API's job"
            return (.unknown, [why])
        }
        var reasons: [String] = []
        if up.level == .critical || upValue < 1 {
            reasons.append("the API target is down (up = \(decimal(upValue, places: 0)))")
        }
        for reading in readings where reading.metric != .up && (reading.level == .warning || reading.level == .critical)
        {
            reasons.append(
                "\(reading.metric.label) is \(reading.metric.format(reading.latest)) (\(reading.level.rawValue))")
        }
        if let firing = firingAlerts, !firing.isEmpty {
            reasons.append("\(firing.count) alert(s) firing: \(firing.map(\.name).joined(separator: ", "))")
        }
        if let age = dataAge(now: now), age > staleAfter {
            reasons.append("data is stale: last scrape \(DurationText.format(seconds: age)) ago")
        }
        return (reasons.isEmpty ? .healthy : .degraded, reasons)
    }
}

/// How old a fetched view is, for views that poll: fresh within two poll intervals, stale after.
public struct Staleness: Equatable, Sendable {
    public var fetchedAt: Timestamp
    /// Seconds between polls.
    public var interval: Double

    public init(fetchedAt: Timestamp, interval: Double) {
        self.fetchedAt = fetchedAt
        self.interval = interval
    }

    /// Seconds since the fetch (never negative).
    public func age(now: Timestamp) -> Double {
        max(0, now.seconds(since: fetchedAt))
    }

    /// True once two intervals have passed without a new fetch.
    public func isStale(now: Timestamp) -> Bool {
        age(now: now) > 2 * interval
    }
}
