import Foundation
import ReleaseCore
import ReleaseIO
import Testing

/// The deploy-tree contract's corpus (deploy/contract/corpus/<case>/{tree,expected}) through
/// DeployDirectory and ReleaseCore, what reldash runs. scripts/tests/unit/30-contract-corpus.sh
/// runs the same cases through scripts/lib; both must print exactly the expected lines. A new
/// case is a new directory: nothing here changes.
@Suite struct ContractCorpusTests {
    static let contract = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("deploy/contract")

    static var cases: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: contract.path + "/corpus")) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test func corpusHasCases() {
        #expect(Self.cases.count >= 50)
    }

    @Test(arguments: cases)
    func answersAsExpected(_ name: String) throws {
        let directory = Self.contract.path + "/corpus/" + name
        let expectedText = try String(contentsOfFile: directory + "/expected", encoding: .utf8)
        let expected = Self.lines(expectedText)
        let extra = expected.filter { $0.hasPrefix("to ") }.map { String($0.split(separator: " ")[1]) }
        let snapshot = try DeployDirectory(path: directory + "/tree", thisHost: "corpus-host").snapshot(scope: .all)
        let actual = Self.report(snapshot, extraIDs: extra)
        let missing = expected.subtracting(actual).sorted()
        let unexpected = actual.subtracting(expected).sorted()
        #expect(
            missing.isEmpty && unexpected.isEmpty,
            "\(name): expected but not printed \(missing); printed but not expected \(unexpected)")
    }

    @Test("config and flags: read from the current release; a wrong type in the target is a warning, not a status")
    func configAndFlags() throws {
        let tree = Self.contract.path + "/corpus/config-flags-wrong-types/tree"
        let snapshot = try DeployDirectory(path: tree, thisHost: "corpus-host").snapshot(scope: .all)
        let current = try #require(snapshot.catalog.current?.manifest)
        #expect(current.config == ["LOG_LEVEL": "info", "DB_POOL_SIZE": "10"])
        #expect(current.flags == ["task_search": true])
        #expect(snapshot.allWarnings.contains { $0.contains("20260101T110000Z") && $0.contains("config.DB_POOL_SIZE") })
    }

    @Test func reasonTextsAreThoseOfTheContractTable() throws {
        let table = try String(contentsOfFile: Self.contract.path + "/reasons.tsv", encoding: .utf8)
        var rows: [String: String] = [:]
        for line in table.split(separator: "\n") where !line.hasPrefix("#") {
            let parts = line.split(separator: "\t", maxSplits: 1)
            if parts.count == 2 { rows[String(parts[0])] = String(parts[1]) }
        }
        #expect(Set(rows.keys) == Set(ContractCode.allCases.map(\.rawValue)))
        for code in ContractCode.allCases {
            #expect(rows[code.rawValue] == code.text, "text of \(code.rawValue)")
        }
    }

    /// The lines of scripts/tests/lib/contract.sh `contract_report`, as a set.
    static func report(_ snapshot: DeploySnapshot, extraIDs: [String]) -> Set<String> {
        let catalog = snapshot.catalog
        let pointer = catalog.pointer
        var lines: Set<String> = []
        if let broken = pointer.broken {
            lines.insert("pointer broken \(broken.rawValue)")
        } else if let id = pointer.id {
            lines.insert("pointer ok \(id) \(pointer.source.rawValue)")
        } else {
            lines.insert("pointer none")
        }
        if let warning = pointer.warning { lines.insert("warning \(warning.rawValue)") }
        for entry in snapshot.ignored { lines.insert("ignored \(entry.name) \(entry.code.rawValue)") }
        for release in catalog.releases {
            lines.insert("release \(release.id) \(release.status.rawValue) \(release.reasonCode?.rawValue ?? "-")")
        }
        for text in catalog.releases.map(\.id.rawValue) + extraIDs {
            guard let id = ReleaseID(text) else {
                lines.insert("to \(text) \(ContractCode.notAReleaseId.rawValue)")
                continue
            }
            switch catalog.checkRollbackTarget(id) {
            case .release: lines.insert("to \(text) ok")
            case .none(let refusal): lines.insert("to \(text) \(refusal.code.rawValue)")
            }
        }
        switch catalog.rollbackCandidate {
        case .release(let id): lines.insert("target \(id)")
        case .none(let refusal): lines.insert("target none \(refusal.code.rawValue)")
        }
        lines.insert("lock \(snapshot.lock?.state.rawValue ?? "none")")
        return lines
    }

    static func lines(_ text: String) -> Set<String> {
        Set(
            text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") })
    }
}
