import ReleaseCore
import ReleaseTesting
import Testing

@Suite("Manifest schema_version 1")
struct ManifestTests {
    @Test("decodes every field of a complete manifest")
    func decodesCompleteManifest() throws {
        let manifest = try Manifest.parse(Array(Fixture.manifestJSON(id: "20261124T181500Z").utf8))
        #expect(manifest.releaseID == "20261124T181500Z")
        #expect(manifest.outcome == .deployed)
        #expect(manifest.environment == "dev")
        #expect(manifest.createdAt == Timestamp(rfc3339: "2026-11-24T18:15:00Z"))
        #expect(manifest.finishedAt == nil)
        #expect(manifest.durationMilliseconds == 41_000)
        #expect(manifest.git?.short == "0123456")
        #expect(manifest.git?.dirty == false)
        #expect(manifest.images.first?.ref == "tasks-api:20261124T181500Z")
        #expect(manifest.artifacts.first?.path == "docker-compose.yml")
        #expect(manifest.healthGate?.attempts == 3)
        #expect(manifest.deployedBy == "ops@host")
    }

    @Test("reads what the deploy script writes for a failed deploy: failure_reason, an image without ref")
    func failedDeploy() throws {
        let text = """
            {"schema_version": 1, "release_id": "20261124T181500Z", "environment": "dev", "status": "failed",
             "images": [{"service": "api", "ref": null, "id": null}], "artifacts": [],
             "health": {"url": null, "status": "skipped", "attempts": 0, "duration_ms": 0},
             "failure_reason": "the build failed (exit 1)"}
            """
        let manifest = try Manifest.parse(Array(text.utf8))
        #expect(manifest.images.first?.ref == nil)
        #expect(manifest.failureReason == "the build failed (exit 1)")
        let record = ReleaseRecord(
            id: Fixture.id("20261124T181500Z"), manifest: Fixture.accepted(manifest, failed: true))
        #expect(
            ReleaseStatus.derive(record, currentID: nil).2
                == "deploy_failed: the deploy failed (manifest status failed) (the build failed (exit 1))")
    }

    @Test("reads the slot a deploy started the release in, and its absence in older manifests")
    func slot() throws {
        let text = """
            {"schema_version": 1, "release_id": "20261124T181500Z", "status": "deployed", "slot": "green"}
            """
        #expect(try Manifest.parse(Array(text.utf8)).slot == "green")
        let older = try Manifest.parse(Array(Fixture.manifestJSON(id: "20261124T181500Z").utf8))
        #expect(older.slot == nil)
    }

    @Test("tolerates unknown fields and absent optional ones")
    func toleratesUnknownFields() throws {
        let text = """
            {"schema_version": 1, "release_id": "20261124T181500Z", "status": "failed",
             "future_field": {"anything": [1, 2]}, "git": {"commit": null, "new": true}}
            """
        let manifest = try Manifest.parse(Array(text.utf8))
        #expect(manifest.outcome == .failed)
        #expect(manifest.git?.commit == nil)
        #expect(manifest.images.isEmpty)
        #expect(manifest.healthGate == nil)
    }

    @Test(
        "says what is wrong with a bad manifest",
        arguments: [
            ("{\"schema_version\": 1, \"release_id\": \"20261124T181500Z\"", "not_json", "not valid JSON (line 1"),
            ("[1]", "not_an_object", "expected a JSON object, found array"),
            (
                "{\"release_id\": \"20261124T181500Z\", \"status\": \"deployed\"}", "unsupported_schema_version",
                "(missing)"
            ),
            (
                "{\"schema_version\": 2, \"release_id\": \"20261124T181500Z\", \"status\": \"deployed\"}",
                "unsupported_schema_version", "schema_version 2 is not supported"
            ),
            (
                "{\"schema_version\": \"1\", \"release_id\": \"20261124T181500Z\", \"status\": \"deployed\"}",
                "unsupported_schema_version", "schema_version \"1\""
            ),
            ("{\"schema_version\": 1, \"status\": \"deployed\"}", "missing_field", "'release_id' is missing"),
            ("{\"schema_version\": 1, \"release_id\": \"20261124T181500Z\"}", "missing_field", "'status' is missing"),
            (
                "{\"schema_version\": 1, \"release_id\": \"last\", \"status\": \"deployed\"}", "invalid_value",
                "not a release id"
            ),
            (
                "{\"schema_version\": 1, \"release_id\": \"20261124T181500Z\", \"status\": \"deployed\", \"duration_ms\": \"41s\"}",
                "wrong_type", "'duration_ms' should be an integer, found string"
            ),
            (
                "{\"schema_version\": 1, \"release_id\": \"20261124T181500Z\", \"status\": \"deployed\", \"git\": {\"dirty\": \"no\"}}",
                "wrong_type", "'git.dirty' should be a boolean"
            ),
            (
                "{\"schema_version\": 1, \"release_id\": \"20261124T181500Z\", \"status\": \"deployed\", \"images\": [\"api\"]}",
                "wrong_type", "'images[0]' should be an object, found string"
            ),
            (
                "{\"schema_version\": 1, \"release_id\": \"20261124T181500Z\", \"status\": \"deployed\", \"artifacts\": [{\"path\": \"a\", \"sha256\": \"xyz\"}]}",
                "invalid_value", "'artifacts[0].sha256' is not a sha256"
            ),
            (
                "{\"schema_version\": 1, \"release_id\": \"20261124T181500Z\", \"status\": \"deployed\", \"created_at\": \"yesterday\"}",
                "invalid_value", "'created_at' is not an RFC 3339"
            ),
        ])
    func reportsProblems(text: String, code: String, message: String) {
        #expect {
            try Manifest.parse(Array(text.utf8))
        } throws: { error in
            guard let problem = error as? ManifestProblem else { return false }
            return problem.code == code && problem.description.contains(message)
        }
    }
}

@Suite("Manifest config and flags (optional, issue 14 writes them)")
struct ManifestConfigFlagsTests {
    static let extra =
        #", "config": {"LOG_LEVEL": "info", "DB_POOL_SIZE": "10"}, "flags": {"task_search": true, "bulk": false}"#

    @Test("decodes config as strings and flags as booleans")
    func decodesConfigAndFlags() throws {
        let manifest = try Manifest.parse(Array(Fixture.manifestJSON(id: "20261124T181500Z", extra: Self.extra).utf8))
        #expect(manifest.config == ["LOG_LEVEL": "info", "DB_POOL_SIZE": "10"])
        #expect(manifest.flags == ["task_search": true, "bulk": false])
    }

    @Test("a manifest without them (older releases) has none")
    func absentIsEmpty() throws {
        let manifest = try Manifest.parse(Array(Fixture.manifestJSON(id: "20261124T181500Z").utf8))
        #expect(manifest.config.isEmpty)
        #expect(manifest.flags.isEmpty)
    }

    @Test(
        "a value of the wrong type names its field",
        arguments: [
            (#", "flags": {"task_search": "yes"}"#, "flags.task_search"),
            (#", "config": {"DB_POOL_SIZE": 10}"#, "config.DB_POOL_SIZE"),
            (#", "flags": [true]"#, "flags"),
        ])
    func wrongTypeNamesField(extra: String, field: String) {
        #expect {
            _ = try Manifest.parse(Array(Fixture.manifestJSON(id: "20261124T181500Z", extra: extra).utf8))
        } throws: { error in
            "\(error)".contains(field)
        }
    }

    @Test("reldash show lists the flags and every config key")
    func showListsThem() {
        let release = Fixture.catalog([Fixture.deployed("20261124T181500Z", extra: Self.extra)], current: nil)
            .releases[0]
        let text = ReportView.show(release, artifacts: [], now: Timestamp(rfc3339: "2026-11-24T19:00:00Z")!)
            .lines.map(\.plainText)
        #expect(text.contains { $0.contains("Flags") && $0.contains("bulk off, task_search on") })
        #expect(text.contains { $0.contains("Config") && $0.contains("DB_POOL_SIZE=10") })
        #expect(text.contains { $0.contains("LOG_LEVEL=info") })
    }
}

@Suite("ReleaseDiff")
struct ReleaseDiffTests {
    static func release(_ id: String, _ extra: String) -> Release {
        Fixture.catalog([Fixture.deployed(id, extra: extra)], current: nil).releases[0]
    }

    @Test("a changed flag, a changed config value and a key only one side has are changes")
    func flagsAndConfigChanges() {
        let current = Self.release(
            "20261124T181500Z", #", "config": {"LOG_LEVEL": "info", "A": "1"}, "flags": {"task_search": true}"#)
        let older = Self.release(
            "20261124T170000Z",
            #", "config": {"LOG_LEVEL": "debug", "A": "1"}, "flags": {"task_search": false, "bulk": true}"#)
        let diff = ReleaseDiff(base: current, other: older)
        let changes = Dictionary(uniqueKeysWithValues: diff.changes.map { ($0.name, $0) })
        #expect(changes["flag task_search"] == .init(name: "flag task_search", base: "on", other: "off"))
        #expect(changes["flag bulk"] == .init(name: "flag bulk", base: nil, other: "on"))
        #expect(changes["config LOG_LEVEL"] == .init(name: "config LOG_LEVEL", base: "info", other: "debug"))
        #expect(changes["config A"] == nil)
        #expect(
            changes["image api"]
                == .init(name: "image api", base: "tasks-api:20261124T181500Z", other: "tasks-api:20261124T170000Z"))
        #expect(changes["commit"] == nil)
        #expect(
            diff.fields.map(\.name).prefix(5) == ["image api", "commit", "version", "environment", "compose sha256"])
    }

    @Test("the slot is a field when either release has one (blue -> green is a change), absent otherwise")
    func slotChange() {
        let current = Self.release("20261124T181500Z", #", "slot": "blue""#)
        let older = Self.release("20261124T170000Z", #", "slot": "green""#)
        let changes = Dictionary(
            uniqueKeysWithValues: ReleaseDiff(base: current, other: older).changes.map { ($0.name, $0) })
        #expect(changes["slot"] == .init(name: "slot", base: "blue", other: "green"))
        let unslotted = ReleaseDiff(
            base: Self.release("20261124T181500Z", ""), other: Self.release("20261124T170000Z", ""))
        #expect(!unslotted.fields.map(\.name).contains("slot"))
    }

    @Test("a release against itself has no change")
    func sameReleaseNoChange() {
        let current = Self.release("20261124T181500Z", #", "flags": {"x": true}"#)
        #expect(ReleaseDiff(base: current, other: current).changes.isEmpty)
    }
}
