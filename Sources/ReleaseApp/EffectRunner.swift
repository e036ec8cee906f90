import Dispatch
import ReleaseCore
import ReleaseIO
import Synchronization

/// Runs `Effect`s over `AppServices` and sends what comes back as `EffectOutcome`s: the loop of
/// a front end is `reduce` → effects → `perform` → outcomes → `reduce`. At most one script runs at
/// a time; `stopScript` stops it the way Ctrl-C does in `reldash rollback`. Blocking file reads
/// (the deploy tree, artifact checksums) run on their own dispatch queue, never on the few threads
/// of Swift's cooperative pool, so a slow disk cannot hold up the dashboard's event loop.
public final class EffectRunner: Sendable {
    private let services: AppServices
    private let grace: Double
    private let send: @Sendable (EffectOutcome) -> Void
    private let running = Mutex(ScriptSlot())

    private struct ScriptSlot {
        var busy = false
        var run: ScriptRun?
    }

    /// `send` is called from any task, once per outcome; `grace` is the seconds a stopped script
    /// gets between SIGTERM and SIGKILL.
    public init(services: AppServices, grace: Double = 10, send: @escaping @Sendable (EffectOutcome) -> Void) {
        self.services = services
        self.grace = grace
        self.send = send
    }

    /// Performs `effect` to its end (a script: until it exits; a tick: after its delay).
    public func perform(_ effect: Effect) async {
        switch effect {
        case .readDeployTree(let scope):
            let services = services
            let result = await Self.blocking { Result { () throws(AppFailure) in try services.snapshot(scope) } }
            send(.deployTreeRead(result))
        case .fetchHealth(let range, let points):
            send(.healthFetched(await services.fetchHealth(range: range, points: points)))
        case .checkArtifacts(let release):
            let tree = services.tree
            send(.artifactsChecked(release.id, await Self.blocking { tree.checkArtifacts(of: release) }))
        case .runScript(let action):
            await runScript(action)
        case .stopScript(let signal):
            running.withLock { $0.run }?.stop(signal: signal)
        case .scheduleTick(let seconds):
            do {
                try await Task.sleep(for: .milliseconds(Int64(max(0, seconds) * 1_000)))
                send(.tick(services.clock.now()))
            } catch {
                return
            }
        }
    }

    /// Where blocking reads run.
    private static let blockingQueue = DispatchQueue(label: "reldash.effects.blocking", attributes: .concurrent)

    /// `body` on `blockingQueue`, awaited without holding a thread of the cooperative pool.
    private static func blocking<Value: Sendable>(_ body: @escaping @Sendable () -> Value) async -> Value {
        await withCheckedContinuation { continuation in
            blockingQueue.async { continuation.resume(returning: body()) }
        }
    }

    private func runScript(_ action: ScriptAction) async {
        let request: ScriptRequest
        do throws(AppFailure) {
            request = try services.request(action, snapshot: try services.snapshot(.summary))
        } catch {
            send(.scriptRefused(error))
            return
        }
        let reserved = running.withLock { slot -> Bool in
            guard !slot.busy else { return false }
            slot.busy = true
            return true
        }
        guard reserved else {
            send(
                .scriptRefused(
                    AppFailure(
                        code: "script_running", message: "a script is already running: wait for it or stop it first",
                        status: .precondition)))
            return
        }
        let run = services.start(request, grace: grace)
        running.withLock { $0.run = run }
        defer { running.withLock { $0 = ScriptSlot() } }
        do throws(AppFailure) {
            for try await event in run { send(.script(event)) }
        } catch {
            send(.scriptRefused(error))
        }
    }
}
