import ReleaseCore
import ReleaseIO
import Synchronization

/// A running deploy or rollback script as an asynchronous sequence of `ScriptEvent`s: its lines
/// as they come, `signal` when it is being stopped, and `exited` last (with `current` read again
/// from the deploy tree). Confirmation happens before `start`; stopping is `stop(signal:)` or
/// cancelling the task that iterates. One consumer, like `AsyncStream`. A script that cannot be
/// started ends the iteration with an `AppFailure` (exit 1).
public final class ScriptRun: AsyncSequence, Sendable {
    public typealias Element = ScriptEvent
    public typealias Failure = AppFailure

    fileprivate enum Item: Sendable {
        case event(ScriptEvent)
        case failed(AppFailure)
    }

    private struct State {
        var task: Task<Void, Never>?
        var receivedSignal: Int32?
    }

    private let stream: AsyncStream<Item>
    private let continuation: AsyncStream<Item>.Continuation
    private let state = Mutex(State())

    private init() {
        (stream, continuation) = AsyncStream.makeStream(of: Item.self)
    }

    /// Starts `request` with `runner`; `tree` is read again when the script ends. On `stop`, the
    /// script gets SIGTERM, then SIGKILL after `grace` seconds.
    public static func start(
        _ request: ScriptRequest, runner: any ScriptRunning, tree: any DeployTreeReading, grace: Double
    ) -> ScriptRun {
        let run = ScriptRun()
        let task = Task { await run.execute(request, runner: runner, tree: tree, grace: grace) }
        run.state.withLock { $0.task = task }
        run.continuation.onTermination = { termination in
            if case .cancelled = termination { task.cancel() }
        }
        return run
    }

    /// Stops the script because reldash received `signal` (or the operator asked): yields
    /// `.signal(signal)` once, and the run ends with `exited` as soon as the script is gone.
    public func stop(signal: Int32) {
        let first: (Bool, Task<Void, Never>?) = state.withLock { state in
            guard state.receivedSignal == nil else { return (false, state.task) }
            state.receivedSignal = signal
            return (true, state.task)
        }
        if first.0 { continuation.yield(.event(.signal(signal))) }
        first.1?.cancel()
    }

    private func execute(
        _ request: ScriptRequest, runner: any ScriptRunning, tree: any DeployTreeReading, grace: Double
    ) async {
        let counts = LineCounts()
        let continuation = continuation
        let started = ContinuousClock.now
        let exit: ScriptExit
        do {
            exit = try await runner.run(request.invocation, grace: grace) { line in
                counts.count(line.stream)
                let stream: ScriptOutputLine.Stream = line.stream == .stderr ? .stderr : .stdout
                continuation.yield(.event(.line(ScriptOutputLine(stream: stream, text: line.text))))
            }
        } catch {
            continuation.yield(
                .failed(AppFailure(code: "script_failed_to_start", message: error.description, status: .failure)))
            continuation.finish()
            return
        }
        let elapsed = ContinuousClock.now - started
        let after = try? tree.snapshot(scope: .summary).catalog.current?.id.rawValue
        let (stdout, stderr) = counts.values
        let summary = ScriptRunSummary(
            command: request.command, script: request.invocation.path, arguments: request.invocation.arguments,
            exitCode: exit.shellCode, signal: exit.signal, cancelled: exit.cancelled,
            durationMilliseconds: Int64(elapsed / .milliseconds(1)),
            currentBefore: request.currentBefore?.rawValue, currentAfter: after ?? nil, stdoutLines: stdout,
            stderrLines: stderr, receivedSignal: state.withLock { $0.receivedSignal })
        continuation.yield(.event(.exited(summary)))
        continuation.finish()
    }

    public func makeAsyncIterator() -> Iterator {
        Iterator(base: stream.makeAsyncIterator())
    }

    /// Iterates the events; throws the `AppFailure` of a script that could not start.
    public struct Iterator: AsyncIteratorProtocol {
        fileprivate var base: AsyncStream<Item>.Iterator

        /// The next event; nil after `exited`.
        public mutating func next() async throws(AppFailure) -> ScriptEvent? {
            try ScriptRun.unwrap(await base.next())
        }

        /// The next event, on the caller's actor.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(AppFailure) -> ScriptEvent? {
            try ScriptRun.unwrap(await base.next(isolation: actor))
        }
    }

    fileprivate static func unwrap(_ item: Item?) throws(AppFailure) -> ScriptEvent? {
        switch item {
        case nil: return nil
        case .event(let event): return event
        case .failed(let failure): throw failure
        }
    }
}

/// Lines counted per stream, from the two pipe readers at once.
private final class LineCounts: Sendable {
    private let counts = Mutex((stdout: 0, stderr: 0))

    func count(_ stream: ScriptLine.Stream) {
        counts.withLock { counts in
            if stream == .stderr { counts.stderr += 1 } else { counts.stdout += 1 }
        }
    }

    var values: (Int, Int) {
        counts.withLock { ($0.stdout, $0.stderr) }
    }
}
