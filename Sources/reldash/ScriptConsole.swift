import ReleaseApp
import ReleaseCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Runs a script request for `deploy` and `rollback`: asks on a terminal, streams the lines
/// (stdout to stdout, stderr to stderr; both to stderr with --json), forwards Ctrl-C and SIGTERM
/// to the script, prints the outcome, and ends reldash with the script's code.
enum ScriptConsole {
    static func run(_ request: ScriptRequest, context: CommandContext, options: ScriptOptions) async throws -> Never {
        switch request.confirmation(assumeYes: options.yes, canAsk: context.terminal.stdinIsTerminal) {
        case .proceed:
            break
        case .ask(let question):
            Console.err("\(question) [y/N] ")
            guard Confirmation.isYes(readLine() ?? "") else { throw request.notConfirmed }
        case .refuse(let failure):
            throw failure
        }
        let run = context.services.start(request, grace: options.grace)
        let trap = SignalTrap { run.stop(signal: $0) }
        var outcome: ScriptRunSummary?
        do throws(AppFailure) {
            for try await event in run {
                switch event {
                case .line(let line):
                    if context.json || line.stream == .stderr {
                        Console.err(line.text + "\n")
                    } else {
                        Console.out(line.text + "\n")
                    }
                case .signal:
                    break
                case .exited(let summary):
                    outcome = summary
                }
            }
        } catch {
            trap.release()
            throw error
        }
        trap.release()
        guard let summary = outcome else { throw ExitWith(code: ExitStatus.failure.rawValue) }
        if context.json {
            Console.json(summary.json(now: context.now))
        } else if summary.cancelled {
            Console.err("reldash: \(request.command) interrupted; the script was stopped (\(describe(summary)))\n")
        } else if summary.exitCode != 0 {
            Console.err("reldash: \(request.command) script ended with \(describe(summary))\n")
        }
        throw ExitWith(code: summary.exitStatus)
    }

    private static func describe(_ summary: ScriptRunSummary) -> String {
        if let signal = summary.signal { return "signal \(signal)" }
        return "exit code \(summary.exitCode)"
    }
}
