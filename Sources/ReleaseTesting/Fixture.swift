import ReleaseCore

/// Builders for tests of the release model and its views: manifests as JSON text, records and
/// catalogs shaped like what the deploy scripts leave. Shared by ReleaseCoreTests and
/// DashboardTests.
public enum Fixture {
    public static func id(_ text: String) -> ReleaseID {
        guard let id = ReleaseID(text) else { fatalError("bad fixture id \(text)") }
        return id
    }

    /// A complete schema_version 1 manifest, as the deploy script writes it.
    public static func manifestJSON(
        id: String, status: String = "deployed", environment: String = "dev", extra: String = ""
    ) -> String {
        """
        {
          "schema_version": 1,
          "release_id": "\(id)",
          "environment": "\(environment)",
          "status": "\(status)",
          "created_at": "\(iso(id))",
          "finished_at": null,
          "duration_ms": 41000,
          "git": { "commit": "0123456789abcdef0123456789abcdef01234567", "short": "0123456", "branch": "main", "dirty": false },
          "app_version": "1.0.0",
          "images": [ { "service": "api", "ref": "tasks-api:\(id)", "id": "sha256:abc" } ],
          "artifacts": [ { "path": "docker-compose.yml", "sha256": "\(String(repeating: "a", count: 64))" } ],
          "previous_release": null,
          "deployed_by": "ops@host",
          "health": { "url": "http://127.0.0.1:8080/readyz", "status": "healthy", "attempts": 3, "duration_ms": 2100 }\(extra)
        }
        """
    }

    /// `20261124T181500Z` -> `2026-11-24T18:15:00Z`.
    public static func iso(_ id: String) -> String {
        let c = Array(id)
        return "\(String(c[0..<4]))-\(String(c[4..<6]))-\(String(c[6..<8]))T\(String(c[9..<11])):"
            + "\(String(c[11..<13])):\(String(c[13..<15]))Z"
    }

    public static func manifest(id: String, status: String = "deployed", environment: String = "dev") -> Manifest {
        do {
            return try Manifest.parse(Array(manifestJSON(id: id, status: status, environment: environment).utf8))
        } catch {
            fatalError("fixture manifest does not parse: \(error)")
        }
    }

    /// Kinds of release directory the tests combine.
    public enum Kind: Sendable {
        case deployed
        case failed
        case bad
        case incomplete
        case invalid
        case deployedWithoutEnv
        case deployedTo(String)
    }

    public static func record(_ text: String, _ kind: Kind) -> ReleaseRecord {
        let env = releaseEnv(text, environment: "dev")
        switch kind {
        case .deployed:
            return ReleaseRecord(id: id(text), manifest: accepted(manifest(id: text)), releaseEnv: env)
        case .failed:
            return ReleaseRecord(
                id: id(text), manifest: accepted(manifest(id: text, status: "failed"), failed: true),
                badMarker: BadMarker(text: "reason=health gate failed"), releaseEnv: env)
        case .bad:
            return ReleaseRecord(
                id: id(text), manifest: accepted(manifest(id: text)),
                badMarker: BadMarker(text: "reason=rolled back from\ntime=2026-11-24T19:00:00Z\nuser=ops@host"),
                releaseEnv: env)
        case .incomplete:
            return ReleaseRecord(id: id(text), manifest: .missing, releaseEnv: env)
        case .invalid:
            return ReleaseRecord(id: id(text), manifest: .rejected(.noOutcome), releaseEnv: env)
        case .deployedWithoutEnv:
            return ReleaseRecord(id: id(text), manifest: accepted(manifest(id: text)), releaseEnv: nil)
        case .deployedTo(let environment):
            return ReleaseRecord(
                id: id(text), manifest: accepted(manifest(id: text, environment: environment)),
                releaseEnv: releaseEnv(text, environment: environment))
        }
    }

    /// A deployed release whose manifest has `extra` members (`, "flags": {...}`).
    public static func deployed(_ text: String, extra: String) -> ReleaseRecord {
        let json = manifestJSON(id: text, extra: extra)
        do {
            let manifest = try Manifest.parse(Array(json.utf8))
            return ReleaseRecord(
                id: id(text), manifest: accepted(manifest), releaseEnv: releaseEnv(text, environment: "dev"))
        } catch {
            fatalError("fixture manifest does not parse: \(error)")
        }
    }

    /// A manifest the contract's rule accepted, read as JSON.
    public static func accepted(_ manifest: Manifest, failed: Bool = false) -> ReleaseRecord.ManifestReading {
        .accepted(failed: failed, parsed: .success(manifest))
    }

    /// A complete release.env, as deploy_local.sh writes it.
    public static func releaseEnv(_ text: String, environment: String) -> [String: String] {
        [
            "RELEASE_ID": text, "APP_ENV": environment, "API_IMAGE": "tasks-api:\(text)",
            "COMPOSE_PROJECT_NAME": "tasks-\(environment)",
        ]
    }

    public static func pointer(_ current: String?, among records: [ReleaseRecord]) -> CurrentPointer.Resolution {
        let ids = Set(records.map(\.id))
        return CurrentPointer(link: current.map { .symlink("releases/\($0)") } ?? .absent, text: .absent)
            .resolve { ids.contains($0) }
    }

    public static func catalog(_ records: [ReleaseRecord], current: String?) -> ReleaseCatalog {
        ReleaseCatalog(records: records, pointer: pointer(current, among: records))
    }
}
