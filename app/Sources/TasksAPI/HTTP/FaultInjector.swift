/// Answers a share of `/api/` requests with a 500 on purpose (`FAULT_5XX_RATE`), for alert drills. Health,
/// readiness and metrics are never affected, and the failing request changes nothing.
public struct FaultInjector: Sendable {
    public let rate: Double
    let random: @Sendable () -> Double

    /// `random` returns a value in 0..<1 (injected by tests for determinism).
    public init(rate: Double, random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }) {
        self.rate = rate
        self.random = random
    }

    func shouldFail(path: String) -> Bool {
        rate > 0 && path.hasPrefix("/api/") && random() < rate
    }

    static let error = APIError(
        .internalServerError,
        code: "fault_injected",
        message: "failure injected on purpose (FAULT_5XX_RATE); nothing was changed"
    )
}
