import ReleaseCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The Prometheus HTTP API calls reldash makes, each bounded by a timeout.
public struct PrometheusClient: Sendable {
    public let baseURL: String
    private let transport: any HTTPTransport

    /// `baseURL` is the server root (`http://127.0.0.1:9090`, a path prefix is kept).
    public init(baseURL: String, transport: any HTTPTransport) {
        var trimmed = baseURL
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        self.baseURL = trimmed
        self.transport = transport
    }

    /// `/api/v1/query`: the samples of an instant query, evaluated now.
    public func instant(_ query: String, timeout: Double) async throws(PrometheusFailure) -> [PrometheusAPI.Sample] {
        let data = try await call("/api/v1/query", [("query", query)], timeout: timeout)
        return try PrometheusAPI.vector(data)
    }

    /// `/api/v1/query_range` on the grid of `plan`.
    public func range(_ query: String, plan: QueryRangePlan, timeout: Double) async throws(PrometheusFailure)
        -> [PrometheusAPI.RangeSeries]
    {
        let parameters = [
            ("query", query), ("start", number(plan.start.seconds)), ("end", number(plan.end.seconds)),
            ("step", number(plan.step)),
        ]
        let data = try await call("/api/v1/query_range", parameters, timeout: timeout)
        return try PrometheusAPI.matrix(data)
    }

    /// `/api/v1/alerts`: every alert Prometheus knows (pending and firing).
    public func alerts(timeout: Double) async throws(PrometheusFailure) -> [PrometheusAPI.Alert] {
        let data = try await call("/api/v1/alerts", [], timeout: timeout)
        return try PrometheusAPI.alerts(data)
    }

    private func call(_ path: String, _ parameters: [(String, String)], timeout: Double) async throws(PrometheusFailure)
        -> JSONValue
    {
        let query = parameters.map { "\($0.0)=\(PrometheusClient.encode($0.1))" }.joined(separator: "&")
        guard let url = URL(string: baseURL + path + (query.isEmpty ? "" : "?" + query)) else {
            throw .unreachable("'\(baseURL)' is not a usable URL")
        }
        let answer = try await transport.get(url, timeout: timeout)
        return try PrometheusAPI.data(status: answer.status, body: answer.body)
    }

    private func number(_ value: Double) -> String {
        value.rounded() == value ? String(Int64(value)) : String(value)
    }

    /// Percent-encodes everything but unreserved characters: `+` must not reach Prometheus raw
    /// (form decoding would turn it into a space inside PromQL).
    static func encode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return encoded
    }
}
