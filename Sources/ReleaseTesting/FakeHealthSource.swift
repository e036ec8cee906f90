import ReleaseCore
import ReleaseIO
import Synchronization

/// Health without Prometheus: answers a canned snapshot (or builds one per call) and records
/// each plan asked for.
public final class FakeHealthSource: HealthSource {
    private let answer: @Sendable (QueryRangePlan, Timestamp) -> HealthSnapshot
    private let plans = Mutex<[QueryRangePlan]>([])

    public init(answer: @escaping @Sendable (QueryRangePlan, Timestamp) -> HealthSnapshot) {
        self.answer = answer
    }

    /// Prometheus unreachable at `url`, for every call.
    public static func unreachable(_ url: String = "http://127.0.0.1:9090") -> FakeHealthSource {
        FakeHealthSource { plan, now in
            .unavailable(
                .unreachable("connection refused"), prometheusURL: url, fetchedAt: now, plan: plan, staleAfter: 60)
        }
    }

    /// Every plan asked for, in order.
    public var plansFetched: [QueryRangePlan] {
        plans.withLock { $0 }
    }

    public func fetch(settings: HealthSettings, plan: QueryRangePlan, now: Timestamp, timeout: Double) async
        -> HealthSnapshot
    {
        plans.withLock { $0.append(plan) }
        return answer(plan, now)
    }
}
