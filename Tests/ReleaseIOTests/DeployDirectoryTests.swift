import Foundation
import ReleaseCore
import ReleaseIO
import Testing

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
