import ReleaseCore
import Testing

@Suite("History, lock, BAD marker and release.env")
struct DeployFilesTests {
    @Test("reads history lines, skipping blank ones and reporting torn or foreign ones")
    func readsHistory() {
        let text = """
            {"schema_version":1,"time":"2026-11-24T18:15:41Z","event":"deploy","action":"deploy","release_id":"20261124T181500Z","user":"ops@host"}

            [1, 2]
            {"schema_version":1,"time":"2026-11-24T19:00:00Z","event":"rollback","release_id":"20261124T170000Z"}\r
            {"schema_version":1,"time":"2026-11-24T19:
            """
        let log = HistoryLog.parse(Array(text.utf8))
        #expect(log.entries.map(\.event) == ["deploy", "rollback"])
        #expect(log.entries.map(\.line) == [1, 4])
        #expect(log.entries.first?.user == "ops@host")
        #expect(log.entries.last?.releaseID == "20261124T170000Z")
        #expect(log.problems.count == 2)
        #expect(log.problems.first == "line 3: not a JSON object")
        #expect(log.problems.last?.hasPrefix("line 5: line 1, column") == true)
    }

    @Test(
        "reads the lock holder from KEY=VALUE or one file per key",
        arguments: [
            (
                ["info": "owner=ops@host\npid=4242\nhost=box\nstarted=2026-11-24T18:15:00Z\ncommand=deploy_local.sh\n"],
                "ops@host", Int64(4242), "2026-11-24T18:15:00Z"
            ),
            (
                ["owner": "ops@host\n", "pid": "7", "started_at": "2026-11-24T18:15:00Z"], "ops@host", 7,
                "2026-11-24T18:15:00Z"
            ),
            ([:], nil, nil, nil),
        ] as [([String: String], String?, Int64?, String?)])
    func readsLock(files: [String: String], owner: String?, pid: Int64?, started: String?) {
        let lock = LockHolder(files: files)
        #expect(lock.owner == owner)
        #expect(lock.pid == pid)
        #expect(lock.startedAt == started)
    }

    @Test(
        "reads the BAD marker's reason, time and user, or keeps free text as the reason",
        arguments: [
            (
                "reason=failed its health gate\ntime=2026-11-24T18:16:00Z\nuser=ops@host\n", "failed its health gate",
                "2026-11-24T18:16:00Z", "ops@host"
            ),
            ("health gate timed out\n", "health gate timed out", nil, nil),
            ("", nil, nil, nil),
        ] as [(String, String?, String?, String?)])
    func readsBadMarker(text: String, reason: String?, time: String?, user: String?) {
        let marker = BadMarker(text: text)
        #expect(marker.reason == reason)
        #expect(marker.time == time)
        #expect(marker.user == user)
    }

    @Test("reads release.env like the scripts: KEY=VALUE lines only, never evaluated")
    func readsReleaseEnv() {
        let text =
            "# pinned\nAPI_IMAGE=tasks-api:20261124T181500Z\r\nAPP_ENV=dev\n9BAD=x\n=novalue\nexport X=1\nEMPTY=\nURL=a=b\n"
        #expect(
            ReleaseRecord.parseReleaseEnv(text) == [
                "API_IMAGE": "tasks-api:20261124T181500Z", "APP_ENV": "dev", "EMPTY": "", "URL": "a=b",
            ])
    }

    @Test(
        "keeps artifact paths inside the release directory",
        arguments: [
            ("docker-compose.yml", true), ("sub/dir/file", true), ("../escape", false), ("/etc/passwd", false),
            ("a/../../b", false), ("", false), ("a\\b", false),
        ])
    func artifactPathSafety(path: String, safe: Bool) {
        #expect(ArtifactCheck.isSafe(path) == safe)
    }
}
