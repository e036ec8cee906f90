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
