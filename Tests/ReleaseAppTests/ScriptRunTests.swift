import ReleaseApp
import ReleaseCore
import ReleaseIO
import ReleaseTesting
import Testing

@Suite("Script runs as a sequence of events")
struct ScriptRunTests {
    private static let older = "20261124T160000Z"
    private static let newer = "20261124T181500Z"

    private static func services(
        tree: FakeDeployTree, runner: FakeScriptRunner, executable: Bool = true
    ) -> AppServices {
        var settings = Settings()
        settings.deployDir = "/srv/deploy"
        return AppServices(
            settings: settings, tree: tree, health: FakeHealthSource.unreachable(), scripts: runner,
            clock: FixedClock(Fixture.now), scriptsDirectory: "/repo/scripts", isExecutable: { _ in executable })
    }

    private static func collect(_ run: ScriptRun) async throws -> [ScriptEvent] {
        var events: [ScriptEvent] = []
        for try await event in run { events.append(event) }
        return events
    }

    @Test("a rollback streams the lines, then exits with current read again from the tree")
    func rollbackStreamsAndRereadsCurrent() async throws {
        let tree = FakeDeployTree(Fixture.snapshot([Self.older, Self.newer], current: Self.newer))
        let runner = FakeScriptRunner(
            lines: [ScriptLine(stream: .stdout, text: "switching"), ScriptLine(stream: .stderr, text: "warned")],
            onRun: { _ in tree.set(Fixture.snapshot([Self.older, Self.newer], current: Self.older)) })
        let services = Self.services(tree: tree, runner: runner)
        let request = try services.rollbackRequest(to: nil, passthrough: ["--no-build"])
        #expect(request.invocation.path == "/repo/scripts/rollback.sh")
        #expect(request.invocation.arguments == ["--to", Self.older, "--no-build"])
        #expect(request.invocation.environment == ["DEPLOY_DIR": "/srv/deploy"])
        #expect(request.question == "Roll back from \(Self.newer) to \(Self.older) in /srv/deploy?")
        let events = try await Self.collect(services.start(request, grace: 1))
        #expect(events.count == 3)
        #expect(events.first == .line(ScriptOutputLine(stream: .stdout, text: "switching")))
        #expect(events.dropFirst().first == .line(ScriptOutputLine(stream: .stderr, text: "warned")))
        guard case .exited(let summary)? = events.last else {
            Issue.record("the last event is not exited: \(events)")
            return
        }
        #expect(summary.currentBefore == Self.newer)
        #expect(summary.currentAfter == Self.older)
        #expect(summary.exitCode == 0 && summary.exitStatus == 0 && !summary.cancelled)
        #expect(summary.stdoutLines == 1 && summary.stderrLines == 1)
        #expect(runner.runs == [request.invocation])
    }

    @Test("stop yields signal once, stops the script, and the run exits 128 + the signal")
    func stopIsForwarded() async throws {
        let tree = FakeDeployTree(Fixture.snapshot([Self.older, Self.newer], current: Self.newer))
        let runner = FakeScriptRunner(lines: [ScriptLine(stream: .stdout, text: "building")], ending: .waitsForStop)
        let services = Self.services(tree: tree, runner: runner)
        let run = services.start(try services.deployRequest(environment: "staging", passthrough: []), grace: 1)
        var events: [ScriptEvent] = []
        for try await event in run {
            events.append(event)
            if case .line(let line) = event, line.text == "building" {
                run.stop(signal: 2)
                run.stop(signal: 15)
            }
        }
        #expect(events.filter { if case .signal = $0 { return true } else { return false } } == [.signal(2)])
        guard case .exited(let summary)? = events.last else {
            Issue.record("the last event is not exited: \(events)")
            return
        }
        #expect(summary.cancelled)
        #expect(summary.signal == 15)
        #expect(summary.receivedSignal == 2)
        #expect(summary.exitStatus == 130)
        #expect(runner.runs.first?.arguments == ["--env", "staging"])
    }

    @Test("cancelling the task that iterates stops the script too")
    func cancellingTheConsumerStopsTheScript() async throws {
        let tree = FakeDeployTree(Fixture.snapshot([Self.newer], current: Self.newer))
        let runner = FakeScriptRunner(ending: .waitsForStop)
        let services = Self.services(tree: tree, runner: runner)
        let run = services.start(try services.deployRequest(environment: nil, passthrough: []), grace: 1)
        let consumer = Task { try await Self.collect(run) }
        try await Task.sleep(for: .milliseconds(50))
        consumer.cancel()
        _ = try? await consumer.value
        #expect(runner.runs.count == 1)
    }

    @Test("a script that cannot start ends the sequence with a failure (exit 1)")
    func startFailure() async throws {
        let tree = FakeDeployTree(Fixture.snapshot([Self.newer], current: Self.newer))
        let runner = FakeScriptRunner(ending: .failsToStart(.notExecutable("/repo/scripts/deploy_local.sh")))
        let services = Self.services(tree: tree, runner: runner)
        let run = services.start(try services.deployRequest(environment: nil, passthrough: []), grace: 1)
        await #expect(throws: AppFailure.self) { try await Self.collect(run) }
        do {
            _ = try await Self.collect(
                services.start(try services.deployRequest(environment: nil, passthrough: []), grace: 1))
        } catch let failure as AppFailure {
            #expect(failure.code == "script_failed_to_start")
            #expect(failure.status == .failure)
        }
    }

    @Test("requests are refused before anything runs: no target, a missing script")
    func refusals() {
        let alone = FakeDeployTree(Fixture.snapshot([Self.newer], current: Self.newer))
        let runner = FakeScriptRunner()
        #expect {
            try Self.services(tree: alone, runner: runner).rollbackRequest(to: nil, passthrough: [])
        } throws: { error in
            (error as? AppFailure)?.status == .precondition
                && (error as? AppFailure)?.message.hasPrefix("no rollback") == true
        }
        let tree = FakeDeployTree(Fixture.snapshot([Self.older, Self.newer], current: Self.newer))
        #expect {
            try Self.services(tree: tree, runner: runner, executable: false).rollbackRequest(to: nil, passthrough: [])
        } throws: { error in
            (error as? AppFailure)?.code == "script_missing" && (error as? AppFailure)?.status == .precondition
        }
        let missing = FakeDeployTree(failing: .missing("/srv/deploy"))
        #expect {
            try Self.services(tree: missing, runner: runner).deployRequest(environment: nil, passthrough: [])
        } throws: { error in
            (error as? AppFailure)?.code == "deploy_dir_missing" && (error as? AppFailure)?.status == .precondition
        }
        #expect(runner.runs.isEmpty)
    }

    @Test("confirmation: --yes goes ahead, a terminal is asked, anything else is refused with exit 2")
    func confirmation() throws {
        let tree = FakeDeployTree(Fixture.snapshot([Self.older, Self.newer], current: Self.newer))
        let request = try Self.services(tree: tree, runner: FakeScriptRunner()).rollbackRequest(
            to: nil, passthrough: [])
        #expect(request.confirmation(assumeYes: true, canAsk: false) == .proceed)
        #expect(request.confirmation(assumeYes: false, canAsk: true) == .ask(request.question))
        guard case .refuse(let failure) = request.confirmation(assumeYes: false, canAsk: false) else {
            Issue.record("no refusal without a terminal")
            return
        }
        #expect(failure.code == "confirmation_required" && failure.status == .usage)
        #expect(request.notConfirmed.status == .usage)
        #expect(
            Confirmation.isYes(" Y\n") && Confirmation.isYes("yes") && !Confirmation.isYes("")
                && !Confirmation.isYes("n"))
        #expect(request.commandLine == "/repo/scripts/rollback.sh --to \(Self.older)")
    }
}
