/// Why a question to Prometheus got no usable answer.
public enum PrometheusFailure: Error, Equatable, Sendable, CustomStringConvertible {
    /// No connection (refused, no route, name not found).
    case unreachable(String)
    /// No complete answer before the deadline.
    case timedOut(seconds: Double)
    /// An HTTP status other than 200 without a Prometheus error body.
    case httpStatus(Int)
    /// Prometheus answered `"status": "error"` (bad PromQL, too many points, ...).
    case apiError(type: String, message: String)
    /// The body is not the JSON Prometheus sends.
    case malformed(String)

    public var description: String {
        switch self {
        case .unreachable(let why):
            return "Prometheus is unreachable (\(why)): start it, or pass --prometheus-url"
        case .timedOut(let seconds):
            return
                "Prometheus did not answer within \(decimal(seconds, places: 1)) s (raise --timeout if it is just slow)"
        case .httpStatus(let code):
            return "Prometheus answered HTTP \(code)"
        case .apiError(let type, let message):
            return "Prometheus refused the query (\(type)): \(message)"
        case .malformed(let why):
            return "Prometheus sent an answer reldash cannot read: \(why)"
        }
    }

    /// A stable identifier for `--json` output.
    public var code: String {
        switch self {
        case .unreachable: return "unreachable"
        case .timedOut: return "timeout"
        case .httpStatus: return "http_status"
        case .apiError: return "api_error"
        case .malformed: return "malformed_response"
        }
    }

    /// True when Prometheus itself is not usable (as opposed to one query being wrong).
    public var isUnavailable: Bool {
        switch self {
        case .unreachable, .timedOut, .httpStatus: return true
        case .apiError, .malformed: return false
        }
    }
}
