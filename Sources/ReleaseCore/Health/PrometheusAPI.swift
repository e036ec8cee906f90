/// Reads the JSON bodies of the Prometheus HTTP API (`/api/v1/query`, `/query_range`, `/alerts`).
public enum PrometheusAPI {
    /// One sample of an instant vector.
    public struct Sample: Equatable, Sendable {
        public var labels: [String: String]
        public var time: Double
        /// NaN and ±Inf are kept as such; callers decide (series treat them as gaps).
        public var value: Double

        public init(labels: [String: String], time: Double, value: Double) {
            self.labels = labels
            self.time = time
            self.value = value
        }
    }

    /// One series of a range matrix.
    public struct RangeSeries: Equatable, Sendable {
        public var labels: [String: String]
        public var samples: [(time: Double, value: Double)]

        public init(labels: [String: String], samples: [(time: Double, value: Double)]) {
            self.labels = labels
            self.samples = samples
        }

        public static func == (lhs: RangeSeries, rhs: RangeSeries) -> Bool {
            lhs.labels == rhs.labels && lhs.samples.count == rhs.samples.count
                && zip(lhs.samples, rhs.samples).allSatisfy {
                    $0.time == $1.time && ($0.value == $1.value || ($0.value.isNaN && $1.value.isNaN))
                }
        }
    }

    /// An alert from `/api/v1/alerts`.
    public struct Alert: Equatable, Sendable {
        public var name: String
        public var state: String
        public var severity: String?
        public var activeAt: String?

        public init(name: String, state: String, severity: String?, activeAt: String?) {
            self.name = name
            self.state = state
            self.severity = severity
            self.activeAt = activeAt
        }

        public var json: JSONValue {
            .object([
                ("name", .string(name)), ("state", .string(state)), ("severity", .optional(severity)),
                ("active_at", .optional(activeAt)),
            ])
        }
    }

    /// The `data` member of a successful answer; an error answer (any HTTP status) becomes
    /// `apiError`, anything else that is not 200 becomes `httpStatus`.
    public static func data(status: Int, body: [UInt8]) throws(PrometheusFailure) -> JSONValue {
        let document: JSONValue
        do {
            document = try JSONParser.parse(body)
        } catch {
            if status != 200 { throw .httpStatus(status) }
            throw .malformed("not JSON (\(error))")
        }
        if document["status"]?.stringValue == "error" {
            throw .apiError(
                type: document["errorType"]?.stringValue ?? "unknown",
                message: document["error"]?.stringValue ?? "no message")
        }
        guard status == 200 else { throw .httpStatus(status) }
        guard document["status"]?.stringValue == "success", let data = document["data"] else {
            throw .malformed("no \"status\": \"success\" with \"data\"")
        }
        return data
    }

    /// The samples of an instant query answer (`resultType` vector or scalar).
    public static func vector(_ data: JSONValue) throws(PrometheusFailure) -> [Sample] {
        switch data["resultType"]?.stringValue {
        case "vector":
            guard case .array(let results)? = data["result"] else { throw .malformed("vector without result") }
            var samples: [Sample] = []
            for result in results {
                let (time, value) = try pair(result["value"])
                samples.append(Sample(labels: labels(result["metric"]), time: time, value: value))
            }
            return samples
        case "scalar":
            let (time, value) = try pair(data["result"])
            return [Sample(labels: [:], time: time, value: value)]
        case let other:
            throw .malformed("expected a vector, got resultType \(other ?? "(none)")")
        }
    }

    /// The series of a range query answer (`resultType` matrix).
    public static func matrix(_ data: JSONValue) throws(PrometheusFailure) -> [RangeSeries] {
        guard data["resultType"]?.stringValue == "matrix" else {
            throw .malformed("expected a matrix, got resultType \(data["resultType"]?.stringValue ?? "(none)")")
        }
        guard case .array(let results)? = data["result"] else { throw .malformed("matrix without result") }
        var series: [RangeSeries] = []
        for result in results {
            guard case .array(let values)? = result["values"] else { throw .malformed("matrix series without values") }
            var samples: [(time: Double, value: Double)] = []
            for value in values {
                samples.append(try pair(value))
            }
            series.append(RangeSeries(labels: labels(result["metric"]), samples: samples))
        }
        return series
    }

    /// The alerts of an `/api/v1/alerts` answer.
    public static func alerts(_ data: JSONValue) throws(PrometheusFailure) -> [Alert] {
        guard case .array(let items)? = data["alerts"] else { throw .malformed("alerts answer without alerts") }
        return items.map { item in
            let labels = labels(item["labels"])
            return Alert(
                name: labels["alertname"] ?? "(unnamed)", state: item["state"]?.stringValue ?? "unknown",
                severity: labels["severity"], activeAt: item["activeAt"]?.stringValue)
        }
    }

    /// Parses a sample value as Prometheus writes it: a decimal string, `NaN`, `+Inf`, `-Inf`.
    public static func parseValue(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "+Inf", "Inf": return .infinity
        case "-Inf": return -.infinity
        default: return Double(text)
        }
    }

    private static func pair(_ value: JSONValue?) throws(PrometheusFailure) -> (time: Double, value: Double) {
        guard case .array(let parts)? = value, parts.count == 2, let time = parts[0].doubleValue,
            let text = parts[1].stringValue
        else {
            throw .malformed("a sample is not [time, \"value\"]")
        }
        guard let number = parseValue(text) else { throw .malformed("sample value '\(text)' is not a number") }
        return (time, number)
    }

    private static func labels(_ value: JSONValue?) -> [String: String] {
        guard case .object(let members)? = value else { return [:] }
        var labels: [String: String] = [:]
        for (key, member) in members {
            if let text = member.stringValue { labels[key] = text }
        }
        return labels
    }
}
