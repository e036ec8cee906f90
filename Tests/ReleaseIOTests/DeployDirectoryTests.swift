import Foundation
import ReleaseCore
import Testing

@testable import ReleaseIO

/// Reading real deploy directories built in temporary directories.
@Suite("Deploy directory on disk")
struct DeployDirectoryTests {
    static let newer = "20261124T181500Z"
    static let older = "20261124T170000Z"

    @Test("reads releases and a symlink pointer")
    func symlinkPointer() throws {
        let tree = try TreeBuilder()
        defer { tree.remove() }
        try tree.release(Self.older)
        try tree.release(Self.newer)
        try tree.symlinkCurrent(to: Self.newer)
        let snapshot = try DeployDirectory(path: tree.root).snapshot()
        #expect(snapshot.catalog.releases.map(\.id.rawValue) == [Self.newer, Self.older])
        #expect(snapshot.catalog.pointer.source == .symlink)
        #expect(snapshot.catalog.current?.id.rawValue == Self.newer)
        #expect(snapshot.catalog.rollbackCandidate.id?.rawValue == Self.older)
        #expect(snapshot.allWarnings.isEmpty)
    }

    @Test("reads current.txt where there is no symlink, or where current is a copied directory")
    func textPointer() throws {
        let tree = try TreeBuilder()
        defer { tree.remove() }
        try tree.release(Self.older)
        try tree.release(Self.newer)
        try tree.write("current.txt", Self.older + "\n")
        try tree.write("current/docker-compose.yml", "copy made by Git Bash\n")
        let snapshot = try DeployDirectory(path: tree.root).snapshot()
        #expect(snapshot.catalog.pointer.source == .text)
        #expect(snapshot.catalog.current?.id.rawValue == Self.older)
        #expect(snapshot.catalog.pointer.warning == .currentCopyIgnored)
    }

    @Test("refuses a pointer whose symlink and current.txt disagree, and says what to remove")
    func disagreement() throws {
        let tree = try TreeBuilder()
        defer { tree.remove() }
        try tree.release(Self.older)
        try tree.release(Self.newer)
        try tree.symlinkCurrent(to: Self.newer)
        try tree.write("current.txt", Self.older)
        let snapshot = try DeployDirectory(path: tree.root).snapshot()
        #expect(snapshot.catalog.current == nil)
        #expect(snapshot.catalog.pointer.broken == .pointerConflict)
        #expect(snapshot.allWarnings.contains { $0.contains("remove the wrong one") })
    }

    @Test("shows corrupt, partial and foreign content instead of failing")
    func tolerantOfBadContent() throws {
        let tree = try TreeBuilder()
        defer { tree.remove() }
        try tree.release(Self.newer)
        try tree.symlinkCurrent(to: Self.newer)
        try tree.write("releases/20261124T170000Z/manifest.json", "{\"schema_version\": 1, \"release_id\": ")
        try tree.write("releases/20261124T160000Z/docker-compose.yml", "deploy died before the manifest\n")
        try tree.write(
            "releases/20261124T150000Z/manifest.json",
            "{\"schema_version\": 2, \"release_id\": \"20261124T150000Z\", \"status\": \"deployed\"}")
        try tree.release("20261124T140000Z")
        try tree.write("releases/20261124T140000Z/BAD", "reason=rolled back from\nuser=ops@host\n")
        try tree.write("releases/notes.txt", "not a release\n")
        try tree.write("releases/latest/manifest.json", "{}")
        try tree.write("history.jsonl", "{\"event\":\"deploy\",\"release_id\":\"\(Self.newer)\"}\n{\"event\":\"dep")
        let snapshot = try DeployDirectory(path: tree.root).snapshot()
        let statuses = snapshot.catalog.releases.map { "\($0.id) \($0.status.rawValue)" }
        #expect(
            statuses == [
                "20261124T181500Z current", "20261124T170000Z invalid", "20261124T160000Z incomplete",
                "20261124T150000Z invalid", "20261124T140000Z bad",
            ])
        let codes = snapshot.catalog.releases.map { $0.reasonCode?.rawValue ?? "-" }
        #expect(codes == ["-", "not_an_object", "no_manifest", "schema_version_unsupported", "marked_bad"])
        #expect(snapshot.catalog.releases[4].reason == "marked_bad: marked BAD (rolled back from)")
        #expect(snapshot.catalog.rollbackCandidate == .none(.init(.noEligibleRelease, release: ReleaseID(Self.newer)!)))
        #expect(snapshot.ignored.map(\.name) == ["latest", "notes.txt"])
        #expect(
            snapshot.allWarnings.contains(
                "ignored releases/notes.txt: not_a_release_id: \(ContractCode.notAReleaseId.text)"))
        #expect(snapshot.history.entries.count == 1)
        #expect(snapshot.history.problems.count == 1)
    }

    @Test("an empty deploy directory (or one without releases/) has no release and no current")
    func emptyDirectory() throws {
        let tree = try TreeBuilder()
        defer { tree.remove() }
        try FileManager.default.removeItem(atPath: tree.root + "/releases")
        let snapshot = try DeployDirectory(path: tree.root).snapshot()
        #expect(snapshot.catalog.releases.isEmpty)
        #expect(snapshot.catalog.current == nil)
        #expect(snapshot.lock == nil)
    }

    @Test("a missing deploy directory is an error that says what to do")
    func missingDirectory() {
        #expect(throws: DeployReadError.missing("/nonexistent/deploy")) {
            try DeployDirectory(path: "/nonexistent/deploy").snapshot()
        }
        #expect(DeployReadError.missing("x").description.contains("pass --deploy-dir"))
    }

    @Test("reads who holds the lock from .lock/info")
    func lockHolder() throws {
        let tree = try TreeBuilder()
        defer { tree.remove() }
        try tree.write(
            ".lock/info",
            "owner=ops@box\npid=4242\nhost=box\nstarted=2026-11-24T18:15:00Z\ncommand=deploy_local.sh --env dev\n")
        let lock = try #require(try DeployDirectory(path: tree.root).snapshot().lock)
        #expect(lock.owner == "ops@box")
        #expect(lock.pid == 4242)
        #expect(lock.started == "2026-11-24T18:15:00Z")
        #expect(lock.command == "deploy_local.sh --env dev")
        #expect(lock.state == .held)
    }

    @Test("checks each artifact's sha256 against its file")
    func artifacts() throws {
        let tree = try TreeBuilder()
        defer { tree.remove() }
        let id = Self.newer
        try tree.write("releases/\(id)/docker-compose.yml", "services: {}\n")
        try tree.write("releases/\(id)/release.env", "APP_ENV=dev\n")
        try tree.write("releases/\(id)/changed.txt", "edited after the deploy\n")
        let good = tree.sha256("services: {}\n")
        let zeros = String(repeating: "0", count: 64)
        try tree.write(
            "releases/\(id)/manifest.json",
            """
            {"schema_version": 1, "release_id": "\(id)", "status": "deployed", "artifacts": [
              {"path": "docker-compose.yml", "sha256": "\(good.uppercased())"},
              {"path": "changed.txt", "sha256": "\(zeros)"},
              {"path": "gone.tar", "sha256": "\(zeros)"},
              {"path": "../../etc/passwd", "sha256": "\(zeros)"}]}
            """)
        let directory = DeployDirectory(path: tree.root)
        let release = try #require(try directory.snapshot().catalog.releases.first)
        let checks = directory.checkArtifacts(of: release)
        #expect(checks.map(\.state) == [.ok, .mismatch, .missing, .unsafePath])
        #expect(checks[0].actualSHA256 == good)
        #expect(checks[1].detail?.contains("manifest says 000000000000") == true)
        #expect(directory.manifestDocument(release.id)?["artifacts"] != nil)
    }
}

/// A second read of the same tree reuses the records whose files did not change, and sees every
/// change the deploy scripts make: a manifest replaced, a BAD marker added, a release removed.
@Suite("Deploy directory: incremental reads")
struct DeployDirectoryIncrementalTests {
    static let ids = (0..<70).map { String(format: "20261124T%02d%02d00Z", 10 + $0 / 60, $0 % 60) }

    @Test("unchanged releases are reused; changed, added and removed ones are seen")
    func seesEveryChange() throws {
        let tree = try TreeBuilder()
        defer { tree.remove() }
        for id in Self.ids { try tree.release(id) }
        try tree.symlinkCurrent(to: Self.ids[69])
        let directory = DeployDirectory(path: tree.root)
        let first = try directory.snapshot()
        #expect(first.catalog.total == 70)
        #expect(directory.cachedRecords == 70)

        try tree.write("releases/\(Self.ids[3])/BAD", "reason=rolled back from\n")
        try tree.release(Self.ids[5], status: "failed")
        try FileManager.default.removeItem(atPath: tree.root + "/releases/\(Self.ids[7])")
        let second = try directory.snapshot()
        let status = Dictionary(uniqueKeysWithValues: second.catalog.releases.map { ($0.id.rawValue, $0.status) })
        #expect(status[Self.ids[3]] == .bad)
        #expect(status[Self.ids[5]] == .failed)
        #expect(status[Self.ids[7]] == nil)
        #expect(status[Self.ids[8]] == .deployed)
        #expect(directory.cachedRecords == 69)
        #expect(second.catalog.releases == (try DeployDirectory(path: tree.root).snapshot()).catalog.releases)
    }
}
