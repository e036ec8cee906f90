import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TasksAPI

/// One line of `contract/metrics.tsv` (repository root): the file reldash's tests read too.
private struct ContractRow: Equatable, CustomStringConvertible {
    var name: String
    var type: String
    var labels: [String]

    var description: String { "\(name) \(type) [\(labels.joined(separator: ","))]" }

    static func load() throws -> [ContractRow] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../contract/metrics.tsv").standardizedFileURL
        let text = try String(contentsOf: url, encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.hasPrefix("name\t") }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            let labels = fields.count > 2 && fields[2] != "-" ? fields[2].split(separator: ",").map(String.init) : []
            return ContractRow(name: fields[0], type: fields.count > 1 ? fields[1] : "", labels: labels)
        }
    }
}

/// What an exposition declares: `# TYPE` per metric, and the label names of each sample name.
private struct Exposition {
    var types: [String: String] = [:]
    var labelSets: [String: Set<[String]>] = [:]

    init(_ text: String) {
        for line in text.split(separator: "\n") {
            if line.hasPrefix("# TYPE ") {
                let parts = line.split(separator: " ")
                if parts.count == 4 { types[String(parts[2])] = String(parts[3]) }
                continue
            }
            if line.hasPrefix("#") { continue }
            let head = line.prefix { $0 != " " }
            let name = String(head.prefix { $0 != "{" })
            var labels: [String] = []
            if let open = head.firstIndex(of: "{"), let close = head.lastIndex(of: "}") {
                labels = head[head.index(after: open)..<close].split(separator: ",").map {
                    String($0.prefix { $0 != "=" })
                }
            }
            labelSets[name, default: []].insert(labels)
        }
    }

    /// The sample names a metric of `type` writes, with the labels each must carry.
    static func series(of row: ContractRow) -> [(name: String, labels: [String])] {
        guard row.type == "histogram" else { return [(row.name, row.labels)] }
        return [
            (row.name + "_bucket", row.labels + ["le"]), (row.name + "_sum", row.labels),
            (row.name + "_count", row.labels),
        ]
    }
}

@Suite("Metric contract (contract/metrics.tsv)")
struct MetricContractTests {
    @Test func exportedMetricNamesAreTheContractNames() throws {
        #expect(ExportedMetric.allCases.map(\.name) == (try ContractRow.load()).map(\.name))
    }

    @Test func metricsEndpointExportsExactlyTheContract() async throws {
        let contract = try ContractRow.load()
        let text = try await TestApp().run { client in
            try await client.execute(
                uri: "/api/v1/tasks", method: .post, headers: jsonHeaders, body: .json(#"{"title":"c"}"#))
            try await client.execute(uri: "/healthz", method: .get)
            return try await client.execute(uri: "/metrics", method: .get) { $0.text }
        }
        let exposition = Exposition(text)
        #if os(Linux)
            let expected = contract
        #else
            let expected = contract.filter { !$0.name.hasPrefix("process_") }
        #endif
        for row in expected {
            #expect(exposition.types[row.name] == row.type, "\(row): # TYPE line")
            for series in Exposition.series(of: row) {
                let sets = exposition.labelSets[series.name] ?? []
                #expect(sets == [series.labels], "\(series.name): labels \(sets) in the exposition")
            }
        }
        #expect(Set(exposition.types.keys) == Set(expected.map(\.name)), "a metric outside the contract")
    }
}
