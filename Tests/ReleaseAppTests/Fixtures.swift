import ReleaseCore

/// Deploy snapshots for application-layer tests: deployed releases (dev) and a current pointer.
enum Fixture {
    static let now = Timestamp(rfc3339: "2026-11-24T19:00:00Z")!

    static func id(_ text: String) -> ReleaseID {
        guard let id = ReleaseID(text) else { fatalError("bad fixture id \(text)") }
        return id
    }

    static func manifest(_ id: String) -> Manifest {
        let json = """
            {"schema_version": 1, "release_id": "\(id)", "environment": "dev", "status": "deployed",
             "created_at": "2026-11-24T10:00:00Z", "finished_at": null, "duration_ms": 41000,
             "git": {"commit": null, "short": "0123456", "branch": "main", "dirty": false}, "app_version": "1.0.0",
             "images": [{"service": "api", "ref": "tasks-api:\(id)", "id": null}], "artifacts": [],
             "previous_release": null, "deployed_by": "ops@host", "health": null}
            """
        do {
            return try Manifest.parse(Array(json.utf8))
        } catch {
            fatalError("fixture manifest does not parse: \(error)")
        }
    }

    /// `deployed` releases, all valid in dev, with `current` as the symlink pointer.
    static func snapshot(_ deployed: [String], current: String?, lock: LockHolder? = nil) -> DeploySnapshot {
        let records = deployed.map {
            ReleaseRecord(
                id: id($0), manifest: .accepted(failed: false, parsed: .success(manifest($0))),
                releaseEnv: [
                    "RELEASE_ID": $0, "APP_ENV": "dev", "API_IMAGE": "tasks-api:\($0)",
                    "COMPOSE_PROJECT_NAME": "tasks-dev",
                ])
        }
        let ids = Set(records.map(\.id))
        let pointer = CurrentPointer(link: current.map { .symlink("releases/\($0)") } ?? .absent, text: .absent)
            .resolve { ids.contains($0) }
        return DeploySnapshot(
            path: "/srv/deploy", catalog: ReleaseCatalog(records: records, pointer: pointer),
            history: HistoryLog(), lock: lock)
    }
}
