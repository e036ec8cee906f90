import Foundation
import ReleaseCore
import Testing

/// One line of `contract/metrics.tsv`: the file the API's tests and these tests both read.
struct ContractRow: Equatable, CustomStringConvertible {
    var name: String
    var type: String
    var labels: [String]

    var description: String { "\(name) \(type) [\(labels.joined(separator: ","))]" }

    /// The rows of the committed contract file (comments and the header skipped).
    static func load() throws -> [ContractRow] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../contract/metrics.tsv").standardizedFileURL
        let text = try String(contentsOf: url, encoding: .utf8)
        return try text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("name\t") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3 else { throw ContractFileError.badLine(String(line)) }
            let labels = fields[2] == "-" ? [] : fields[2].split(separator: ",").map(String.init)
            return ContractRow(name: fields[0], type: fields[1], labels: labels)
        }
    }
}

enum ContractFileError: Error {
    case badLine(String)
}

/// A selector `name{label="value",...}` found in a PromQL query.
struct QuerySelector: Equatable {
    var name: String
    var labels: [String]

    /// Every `name{...}` of a query, in order.
    static func all(in query: String) -> [QuerySelector] {
        let pattern = /([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\}/
        return query.matches(of: pattern).map { match in
            let labels = match.output.2.split(separator: ",").compactMap { matcher in
                matcher.split(whereSeparator: { "=!~".contains($0) }).first.map {
                    String($0).trimmingCharacters(in: .whitespaces)
                }
            }
            return QuerySelector(name: String(match.output.1), labels: labels)
        }
    }

    /// Why this selector would find nothing on the API's metrics as the contract describes them
    /// (nil when it reads a contract series with contract labels, or Prometheus' `up`).
    func problem(against contract: [ContractRow]) -> String? {
        let allowed = ["job", "instance"]
        if name == "up" {
            return labels.allSatisfy(allowed.contains) ? nil : "up{\(labels)} uses a label Prometheus does not set"
        }
        let row =
            contract.first { $0.name == name }
            ?? contract.first { $0.type == "histogram" && name == $0.name + "_bucket" }
        guard let row else { return "\(name) is not a metric of the contract" }
        let known = row.labels + allowed + (name.hasSuffix("_bucket") && row.type == "histogram" ? ["le"] : [])
        let unknown = labels.filter { !known.contains($0) }
        return unknown.isEmpty ? nil : "\(name) has no label \(unknown.joined(separator: ", ")) in the contract"
    }
}

@Suite("Metric contract (contract/metrics.tsv)")
struct MetricContractTests {
    @Test("the contract file lists exactly the metrics, types and labels reldash knows")
    func contractFileMatchesReldashList() throws {
        let rows = try ContractRow.load()
        let known = ContractMetric.allCases.map {
            ContractRow(name: $0.name, type: $0.kind.rawValue, labels: $0.labels)
        }
        #expect(rows == known)
    }

    @Test("every default query reads contract series with contract labels", arguments: HealthMetric.allCases)
    func defaultQueryUsesContractNames(metric: HealthMetric) throws {
        let contract = try ContractRow.load()
        let selectors = QuerySelector.all(in: HealthSettings().query(for: metric))
        #expect(!selectors.isEmpty)
        for selector in selectors {
            #expect(selector.problem(against: contract) == nil, "\(metric.rawValue): \(selector)")
        }
        let read = Set(selectors.map(\.name).filter { $0 != "up" })
        #expect(read == Set(metric.sources.map { $0.kind == .histogram ? $0.bucket : $0.name }))
    }

    @Test(
        "the check catches a drifted name or label",
        arguments: [
            #"sum(rate(http_request_total{job="api"}[5m]))"#,
            #"sum(rate(http_requests_total{job="api",code=~"5.."}[5m]))"#,
            #"histogram_quantile(0.95, sum by (le) (rate(http_request_duration_bucket{job="api"}[5m])))"#,
            #"sum(process_resident_memory{job="api"})"#,
        ])
    func checkCatchesDrift(query: String) throws {
        let contract = try ContractRow.load()
        #expect(QuerySelector.all(in: query).contains { $0.problem(against: contract) != nil })
    }
}
