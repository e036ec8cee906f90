import ReleaseApp
import ReleaseCore
import ReleaseIO
import ReleaseTesting
import Synchronization
import Testing

@Suite("Effect runner over the fakes")
struct EffectRunnerTests {
    private final class Outcomes: Sendable {
        private let list = Mutex<[EffectOutcome]>([])
        func append(_ outcome: EffectOutcome) { list.withLock { $0.append(outcome) } }
        var all: [EffectOutcome] { list.withLock { $0 } }
    }

    private static func runner(tree: FakeDeployTree, health: FakeHealthSource, scripts: FakeScriptRunner)
        -> (EffectRunner, Outcomes)
    {
        let outcomes = Outcomes()
        let services = AppServices(
            settings: Settings(), tree: tree, health: health, scripts: scripts, clock: FixedClock(Fixture.now),
            scriptsDirectory: "/repo/scripts", isExecutable: { _ in true })
        return (EffectRunner(services: services, grace: 1) { outcomes.append($0) }, outcomes)
    }

    @Test("reading the tree sends the snapshot, or the failure a front end shows")
    func readDeployTree() async {
        let snapshot = Fixture.snapshot(["20261124T181500Z"], current: "20261124T181500Z")
        let (runner, outcomes) = Self.runner(
            tree: FakeDeployTree(snapshot), health: .unreachable(), scripts: FakeScriptRunner())
        await runner.perform(.readDeployTree(.all))
        #expect(outcomes.all == [.deployTreeRead(.success(snapshot))])
        let (missing, failures) = Self.runner(
            tree: FakeDeployTree(failing: .missing("/nowhere")), health: .unreachable(), scripts: FakeScriptRunner())
        await missing.perform(.readDeployTree(.summary))
        guard case .deployTreeRead(.failure(let failure))? = failures.all.first else {
            Issue.record("no failure: \(failures.all)")
            return
        }
        #expect(failure.code == "deploy_dir_missing" && failure.status == .precondition)
    }

    @Test("health is fetched on a plan of the asked range and points, at the clock's now")
    func fetchHealth() async {
        let health = FakeHealthSource.unreachable("http://prometheus:9090")
        let (runner, outcomes) = Self.runner(
            tree: FakeDeployTree(Fixture.snapshot([], current: nil)), health: health, scripts: FakeScriptRunner())
        await runner.perform(.fetchHealth(range: 900, points: 30))
        #expect(health.plansFetched == [QueryRangePlan(range: 900, width: 30, now: Fixture.now)])
        guard case .healthFetched(let snapshot)? = outcomes.all.first else {
            Issue.record("no health: \(outcomes.all)")
            return
        }
        #expect(snapshot.unavailable != nil)
        #expect(snapshot.prometheusURL == "http://prometheus:9090")
    }

    @Test("a script effect sends every event; a tick comes back after its delay")
    func scriptAndTick() async {
        let id = "20261124T160000Z"
        let scripts = FakeScriptRunner(lines: [ScriptLine(stream: .stdout, text: "done")])
        let (runner, outcomes) = Self.runner(
            tree: FakeDeployTree(Fixture.snapshot([id, "20261124T181500Z"], current: "20261124T181500Z")),
            health: .unreachable(), scripts: scripts)
        await runner.perform(.runScript(.rollback(to: Fixture.id(id), passthrough: [])))
        #expect(scripts.runs.map(\.arguments) == [["--to", id]])
        #expect(outcomes.all.first == .script(.line(ScriptOutputLine(stream: .stdout, text: "done"))))
        guard case .script(.exited(let summary))? = outcomes.all.last else {
            Issue.record("no exit: \(outcomes.all)")
            return
        }
        #expect(summary.command == "rollback")
        await runner.perform(.scheduleTick(after: 0.01))
        #expect(outcomes.all.last == .tick(Fixture.now))
    }

    @Test("a second script while one runs is refused; stopScript stops the running one")
    func oneScriptAtATime() async throws {
        let scripts = FakeScriptRunner(ending: .waitsForStop)
        let (runner, outcomes) = Self.runner(
            tree: FakeDeployTree(Fixture.snapshot(["20261124T181500Z"], current: "20261124T181500Z")),
            health: .unreachable(), scripts: scripts)
        let first = Task { await runner.perform(.runScript(.deploy(environment: nil, passthrough: []))) }
        while scripts.runs.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        await runner.perform(.runScript(.deploy(environment: nil, passthrough: [])))
        guard case .scriptRefused(let refusal)? = outcomes.all.last else {
            Issue.record("no refusal: \(outcomes.all)")
            return
        }
        #expect(refusal.code == "script_running")
        await runner.perform(.stopScript(signal: 15))
        await first.value
        #expect(scripts.runs.count == 1)
        guard case .script(.exited(let summary))? = outcomes.all.last else {
            Issue.record("no exit: \(outcomes.all)")
            return
        }
        #expect(summary.receivedSignal == 15 && summary.exitStatus == 143)
    }
}
