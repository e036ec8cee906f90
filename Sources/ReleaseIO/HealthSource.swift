import ReleaseCore

/// Where health comes from. A protocol so that views can be tested with canned snapshots.
public protocol HealthSource: Sendable {
    /// Fetches every series of `settings` on `plan`; always returns within `timeout` seconds,
    /// with failures inside the snapshot rather than thrown.
    func fetch(settings: HealthSettings, plan: QueryRangePlan, now: Timestamp, timeout: Double) async -> HealthSnapshot
}

/// Health from a Prometheus server: one range query per metric, the API's last scrape time and the
/// alerts, all in parallel under one deadline.
public struct PrometheusHealthSource: HealthSource {
    public let client: PrometheusClient

    public init(client: PrometheusClient) {
        self.client = client
    }

    private enum Answer: Sendable {
        case series(HealthMetric, Result<HealthSeries, PrometheusFailure>)
        case lastScrape(Result<Timestamp?, PrometheusFailure>)
        case alerts(Result<[PrometheusAPI.Alert], PrometheusFailure>)
    }

    public func fetch(settings: HealthSettings, plan: QueryRangePlan, now: Timestamp, timeout: Double) async
        -> HealthSnapshot
    {
        let client = client
        let answers = await withTaskGroup(of: Answer.self, returning: [Answer].self) { group in
            for metric in HealthMetric.allCases {
                let query = settings.query(for: metric)
                group.addTask {
                    do throws(PrometheusFailure) {
                        let series = try await client.range(query, plan: plan, timeout: timeout)
                        let chosen = series.sorted { $0.labels.description < $1.labels.description }.first
                        return .series(metric, .success(HealthSeries(samples: chosen?.samples ?? [], plan: plan)))
                    } catch {
                        return .series(metric, .failure(error))
                    }
                }
            }
            let scrapeQuery = settings.resolvedLastScrapeQuery
            group.addTask {
                do throws(PrometheusFailure) {
                    let samples = try await client.instant(scrapeQuery, timeout: timeout)
                    let latest = samples.map(\.value).filter(\.isFinite).max()
                    return .lastScrape(.success(latest.map { Timestamp(seconds: $0) }))
                } catch {
                    return .lastScrape(.failure(error))
                }
            }
            group.addTask {
                do throws(PrometheusFailure) {
                    return .alerts(.success(try await client.alerts(timeout: timeout)))
                } catch {
                    return .alerts(.failure(error))
                }
            }
            var collected: [Answer] = []
            for await answer in group { collected.append(answer) }
            return collected
        }
        return assemble(answers, settings: settings, plan: plan, now: now)
    }

    private func assemble(_ answers: [Answer], settings: HealthSettings, plan: QueryRangePlan, now: Timestamp)
        -> HealthSnapshot
    {
        var readings: [HealthMetric: HealthReading] = [:]
        var failures: [PrometheusFailure] = []
        var lastScrape: Timestamp?
        var alerts: [PrometheusAPI.Alert]?
        var alertsFailure: PrometheusFailure?
        for answer in answers {
            switch answer {
            case .series(let metric, let result):
                var reading = HealthReading(
                    metric: metric, query: settings.query(for: metric), series: nil, failure: nil,
                    threshold: settings.threshold(for: metric))
                switch result {
                case .success(let series): reading.series = series
                case .failure(let failure):
                    reading.failure = failure
                    failures.append(failure)
                }
                readings[metric] = reading
            case .lastScrape(.success(let time)): lastScrape = time
            case .lastScrape(.failure(let failure)): failures.append(failure)
            case .alerts(.success(let list)): alerts = list
            case .alerts(.failure(let failure)):
                alertsFailure = failure
                failures.append(failure)
            }
        }
        let total = HealthMetric.allCases.count + 2
        if failures.count == total, let first = failures.first(where: \.isUnavailable) {
            return .unavailable(
                first, prometheusURL: client.baseURL, fetchedAt: now, plan: plan, staleAfter: settings.staleAfter)
        }
        return HealthSnapshot(
            prometheusURL: client.baseURL, fetchedAt: now, plan: plan, unavailable: nil,
            readings: HealthMetric.allCases.compactMap { readings[$0] }, alerts: alerts, alertsFailure: alertsFailure,
            lastScrape: lastScrape, staleAfter: settings.staleAfter)
    }
}
