import NIOConcurrencyHelpers
import Prometheus

/// The HTTP metrics of the contract: `http_requests_total{method,route,status}` and
/// `http_request_duration_seconds{method,route}`, with `route` always a route template (bounded cardinality).
public final class HTTPMetrics: Sendable {
    /// Histogram buckets in seconds: fine below 100 ms where this API lives, coarse above.
    public static let durationBuckets: [Duration] = [
        .milliseconds(1), .microseconds(2_500), .milliseconds(5), .milliseconds(10), .milliseconds(25),
        .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .microseconds(2_500_000), .seconds(5), .seconds(10),
    ]

    private struct CounterKey: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    private struct HistogramKey: Hashable {
        let method: String
        let route: String
    }

    private let registry: PrometheusCollectorRegistry
    private let counters = NIOLockedValueBox<[CounterKey: Counter]>([:])
    private let histograms = NIOLockedValueBox<[HistogramKey: DurationHistogram]>([:])

    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Methods kept as labels; any other (clients may invent methods) is counted as `OTHER`.
    static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"]

    /// Records one finished request.
    public func record(method: String, route: String, status: Int, duration: Duration) {
        let method = Self.knownMethods.contains(method) ? method : "OTHER"
        counter(CounterKey(method: method, route: route, status: status)).increment()
        histogram(HistogramKey(method: method, route: route)).record(duration)
    }

    private func counter(_ key: CounterKey) -> Counter {
        counters.withLockedValue { cache in
            if let counter = cache[key] { return counter }
            let counter = registry.makeCounter(
                name: ExportedMetric.httpRequests.name,
                labels: [("method", key.method), ("route", key.route), ("status", String(key.status))],
                help: "HTTP requests answered, by method, route template and status code."
            )
            cache[key] = counter
            return counter
        }
    }

    private func histogram(_ key: HistogramKey) -> DurationHistogram {
        histograms.withLockedValue { cache in
            if let histogram = cache[key] { return histogram }
            let histogram = registry.makeDurationHistogram(
                name: ExportedMetric.httpRequestDuration.name,
                labels: [("method", key.method), ("route", key.route)],
                buckets: Self.durationBuckets,
                help: "Time from receiving an HTTP request to returning its response, by method and route template."
            )
            cache[key] = histogram
            return histogram
        }
    }
}
