import ReleaseCore
import ReleaseTesting
import Testing

@Suite("Catalog scopes: read only what a view needs")
struct CatalogScopeTests {
    /// Ten releases, one per hour; 18:00 current; 17:00 bad, 16:00 failed, 15:00 deployed (target).
    static let kinds: [(String, Fixture.Kind)] = [
        ("20261124T190000Z", .deployed), ("20261124T180000Z", .deployed), ("20261124T170000Z", .bad),
        ("20261124T160000Z", .failed), ("20261124T150000Z", .deployed), ("20261124T140000Z", .deployed),
        ("20261124T130000Z", .deployed), ("20261124T120000Z", .deployed), ("20261124T110000Z", .deployed),
        ("20261124T100000Z", .deployed),
    ]

    /// Loads with a reader that records which ids were read.
    static func load(_ scope: CatalogScope, current: String? = "20261124T180000Z") -> (ReleaseCatalog, [String]) {
        var read: [String] = []
        let records = Dictionary(uniqueKeysWithValues: kinds.map { (Fixture.id($0.0), Fixture.record($0.0, $0.1)) })
        let pointer = Fixture.pointer(current, among: Array(records.values))
        let catalog = scope.load(allIDs: Array(records.keys), pointer: pointer) { ids in
            read += ids.map(\.rawValue)
            return ids.compactMap { records[$0] }
        }
        return (catalog, read.sorted())
    }

    @Test("summary reads the current release and older ones down to the rollback target only")
    func summary() {
        let (catalog, read) = Self.load(.summary)
        #expect(read == ["20261124T150000Z", "20261124T160000Z", "20261124T170000Z", "20261124T180000Z"])
        #expect(catalog.total == 10)
        #expect(!catalog.isComplete)
        #expect(catalog.current?.id.rawValue == "20261124T180000Z")
        #expect(catalog.rollbackCandidate == .release(Fixture.id("20261124T150000Z")))
    }

    @Test("summary gives the same rollback target as reading everything")
    func summaryAgreesWithAll() {
        for current in Self.kinds.map(\.0) + ["20200101T000000Z"] {
            #expect(
                Self.load(.summary, current: current).0.rollbackCandidate
                    == Self.load(.all, current: current).0.rollbackCandidate)
        }
    }

    @Test("newest(n) reads the n newest plus the summary; all reads everything")
    func newestAndAll() {
        let (newest, read) = Self.load(.newest(2))
        #expect(newest.releases.prefix(2).map(\.id.rawValue) == ["20261124T190000Z", "20261124T180000Z"])
        #expect(read.count == 5)
        let (all, readAll) = Self.load(.all)
        #expect(readAll.count == 10)
        #expect(all.isComplete)
        #expect(all.countsByStatus.map(\.1) == [1, 7, 1, 1, 0, 0])
    }

    @Test("release(id) reads that release; an unknown id reads nothing more")
    func oneRelease() {
        let (catalog, read) = Self.load(.release(Fixture.id("20261124T100000Z")))
        #expect(catalog.release(Fixture.id("20261124T100000Z"))?.status == .deployed)
        #expect(read.contains("20261124T100000Z"))
        let (_, unknown) = Self.load(.release(Fixture.id("20200101T000000Z")), current: nil)
        #expect(unknown.isEmpty)
    }

    @Test("lists releases newest first, whatever the order read")
    func catalogOrdersNewestFirst() {
        let catalog = Fixture.catalog(
            [
                Fixture.record("20261124T170000Z", .deployed), Fixture.record("20261124T181500Z", .deployed),
                Fixture.record("20250101T000000Z", .failed),
            ], current: "20261124T181500Z")
        #expect(catalog.releases.map(\.id.rawValue) == ["20261124T181500Z", "20261124T170000Z", "20250101T000000Z"])
        #expect(catalog.current?.id.rawValue == "20261124T181500Z")
        #expect(catalog.countsByStatus.map(\.1) == [1, 1, 1, 0, 0, 0])
    }

    @Test("the current release keeps the code of what is off underneath")
    func currentKeepsItsUnderlyingCode() {
        let catalog = Fixture.catalog(
            [Fixture.record("20261124T170000Z", .deployed), Fixture.record("20261124T181500Z", .bad)],
            current: "20261124T181500Z")
        #expect(catalog.current?.status == .current)
        #expect(catalog.current?.reasonCode == .markedBad)
        #expect(catalog.current?.reason == "current, but marked_bad: marked BAD (rolled back from)")
    }

    @Test("the history is read from its end, with the file's line numbers")
    func historyTail() {
        let text = (1...50).map { #"{"event":"deploy","release_id":"r\#($0)"}"# }.joined(separator: "\n") + "\n"
        let log = HistoryLog.parse(Array(text.utf8), keepingLast: 3)
        #expect(log.entries.map(\.line) == [48, 49, 50])
        #expect(log.entries.last?.releaseID == "r50")
    }
}
