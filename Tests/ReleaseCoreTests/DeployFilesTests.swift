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
        "reads the lock's info file and tells held from stale as lock_state does",
        arguments: [
            (
                "owner=ops@box\npid=4242\nhost=box\nstarted=2026-11-24T18:15:00Z\ncommand=deploy_local.sh\n", true,
                LockHolder.State.held
            ),
            (
                "owner=ops@box\npid=4242\nhost=box\nstarted=2026-11-24T18:15:00Z\ncommand=deploy_local.sh\n", false,
                .stale
            ),
            ("owner=ops@elsewhere\npid=4242\nhost=elsewhere\n", false, .held),
            ("owner=ops@box\npid=not-a-number\nhost=box\n", true, .stale),
        ] as [(String, Bool, LockHolder.State)])
    func readsLock(info: String, alive: Bool, state: LockHolder.State) {
        let lock = LockHolder(.directory(info: Array(info.utf8)), thisHost: "box", isAlive: { _ in alive })
        #expect(lock.state == state)
        #expect(lock.owner?.hasPrefix("ops@") == true)
    }

    @Test("a lock without info is held, one that is not a directory is invalid")
    func lockWithoutInfo() {
        #expect(LockHolder(.directory(info: nil), thisHost: "box", isAlive: { _ in false }).state == .held)
        #expect(LockHolder(.notADirectory, thisHost: "box", isAlive: { _ in false }).state == .invalid)
    }

    @Test(
        "reads the BAD marker's reason, time and user lines; other text is kept as evidence only",
        arguments: [
            (
                "reason=failed its health gate\ntime=2026-11-24T18:16:00Z\nuser=ops@host\n", "failed its health gate",
                "2026-11-24T18:16:00Z", "ops@host"
            ),
            ("health gate timed out\n", nil, nil, nil),
            ("", nil, nil, nil),
        ] as [(String, String?, String?, String?)])
    func readsBadMarker(text: String, reason: String?, time: String?, user: String?) {
        let marker = BadMarker(text: text)
        #expect(marker.reason == reason)
        #expect(marker.time == time)
        #expect(marker.user == user)
        #expect(marker.text == text.trimmingWhitespace())
    }

    @Test("reads KEY=VALUE files like scripts/lib/kv.sh: last key wins, BOM and CR dropped, never evaluated")
    func readsKeyValueFiles() {
        let text =
            "\u{FEFF}RELEASE_ID=20261124T181500Z\n# pinned\nAPI_IMAGE=tasks-api:20261124T181500Z\r\nAPP_ENV=staging\nAPP_ENV=dev\n"
            + "9BAD=x\n=novalue\nexport X=1\nEMPTY=\nURL=a=b\n"
        #expect(
            KeyValueFile.parse(Array(text.utf8)) == [
                "RELEASE_ID": "20261124T181500Z", "API_IMAGE": "tasks-api:20261124T181500Z", "APP_ENV": "dev",
                "EMPTY": "", "URL": "a=b",
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
