import Dispatch
import Foundation
import ReleaseCore
import ReleaseIO

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs deploy_local.sh or rollback.sh for a command: confirmation, streaming, signal
/// forwarding, and the exit code.
struct ScriptSession {
    let context: Context
    let options: ScriptOptions
    let command: String

    /// The absolute path of a script in the scripts directory; a missing one is a precondition.
    func scriptPath(_ name: String) throws(CommandFailure) -> String {
        let directory =
            options.scriptsDir ?? context.environment["RELDASH_SCRIPTS_DIR"].flatMap { $0.isEmpty ? nil : $0 }
            ?? "scripts"
        let path = absolute(directory) + "/" + name
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CommandFailure(
                code: "script_missing",
                message:
                    "\(path) is missing or not executable: run reldash from the repository root, or pass --scripts-dir",
                status: .precondition)
        }
        return path
    }

    /// Asks `question` on a terminal; without one, refuses unless --yes was given (exit 2).
    func confirm(_ question: String) throws(CommandFailure) {
        if options.yes { return }
        guard context.terminal.stdinIsTerminal else {
            throw CommandFailure(
                code: "confirmation_required",
                message: "refusing to \(command) without confirmation: stdin is not a terminal; pass --yes",
                status: .usage)
        }
        Console.err("\(question) [y/N] ")
        let answer = (readLine() ?? "").trimmingWhitespace().lowercased()
        guard answer == "y" || answer == "yes" else {
            throw CommandFailure(code: "not_confirmed", message: "\(command) cancelled: not confirmed", status: .usage)
        }
    }

    /// Runs the script to its end (or until Ctrl-C / SIGTERM, forwarded as SIGTERM then SIGKILL),
    /// prints a summary, and ends reldash with the script's exit code.
    func run(script: String, arguments: [String], currentBefore: String?) async throws -> Never {
        let invocation = ScriptInvocation(
            path: script, arguments: arguments + options.passthrough,
            environment: ["DEPLOY_DIR": absolute(context.settings.deployDir)])
        let counter = LineCounter()
        let json = context.json
        let started = Date()
        let task = Task {
            try await SubprocessScriptRunner().run(invocation, grace: options.grace) { line in
                counter.count(line.stream)
                if json || line.stream == .stderr {
                    Console.err(line.text + "\n")
                } else {
                    Console.out(line.text + "\n")
                }
            }
        }
        let signals = SignalForwarder { task.cancel() }
        let exit: ScriptExit
        do {
            exit = try await task.value
        } catch let error as ScriptRunError {
            signals.stop()
            throw CommandFailure(code: "script_failed_to_start", message: error.description, status: .failure)
        }
        signals.stop()
        let after = try? context.deployTree.snapshot(scope: .summary).catalog.current?.id.rawValue
        let summary = ScriptRunSummary(
            command: command, script: script, arguments: invocation.arguments, exitCode: exit.shellCode,
            signal: exit.signal, cancelled: exit.cancelled,
            durationMilliseconds: Int64(Date().timeIntervalSince(started) * 1_000), currentBefore: currentBefore,
            currentAfter: after ?? nil, stdoutLines: counter.stdout, stderrLines: counter.stderr)
        if json {
            Console.json(summary.json(now: context.clock.now()))
        } else if exit.cancelled {
            Console.err("reldash: \(command) interrupted; the script was stopped (\(describe(exit)))\n")
        } else if exit.shellCode != 0 {
            Console.err("reldash: \(command) script ended with \(describe(exit))\n")
        }
        if let received = signals.received { throw ExitWith(code: 128 + received) }
        throw ExitWith(code: exit.shellCode)
    }

    private func describe(_ exit: ScriptExit) -> String {
        if let signal = exit.signal { return "signal \(signal)" }
        return "exit code \(exit.shellCode)"
    }

    private func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let base = FileManager.default.currentDirectoryPath
        return path == "." ? base : base + "/" + path
    }
}

/// Counts the script's lines per stream (reported in --json).
private final class LineCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [ScriptLine.Stream: Int] = [:]

    func count(_ stream: ScriptLine.Stream) {
        lock.lock()
        counts[stream, default: 0] += 1
        lock.unlock()
    }

    var stdout: Int { read(.stdout) }
    var stderr: Int { read(.stderr) }

    private func read(_ stream: ScriptLine.Stream) -> Int {
        lock.lock()
        defer { lock.unlock() }
        return counts[stream] ?? 0
    }
}

/// While a script runs, SIGINT and SIGTERM no longer end reldash: they call `onSignal` (which
/// cancels the run, so the script gets SIGTERM then SIGKILL) and are remembered for the exit code.
private final class SignalForwarder: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []
    private let lock = NSLock()
    private var signalNumber: Int32?

    init(onSignal: @escaping @Sendable () -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in
                self?.record(number)
                onSignal()
            }
            source.resume()
            sources.append(source)
        }
    }

    private func record(_ number: Int32) {
        lock.lock()
        if signalNumber == nil { signalNumber = number }
        lock.unlock()
    }

    var received: Int32? {
        lock.lock()
        defer { lock.unlock() }
        return signalNumber
    }

    func stop() {
        for source in sources { source.cancel() }
        sources.removeAll()
    }
}
