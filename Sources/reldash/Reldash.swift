import ArgumentParser
import ReleaseApp
import ReleaseCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The root command: the release dashboard (`dashboard`, the default in a terminal). Other
/// subcommands print one view and exit; with `--json` they print one stable JSON document.
struct Reldash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reldash",
        abstract: "Release dashboard for the simulated deployments: releases, current manifest, health.",
        discussion: """
            Exit codes: 0 ok; 1 runtime error (or the script's own failure); 2 usage, or deploy/rollback \
            refused without confirmation; 3 precondition (no deploy dir, lock held, no rollback target); \
            4 status --fail-on-degraded and health is not healthy. deploy and rollback exit with their \
            script's code.
            """,
        subcommands: [
            DashboardCommand.self, StatusCommand.self, ReleasesCommand.self, ShowCommand.self, HealthCommand.self,
            DeployCommand.self,
            RollbackCommand.self,
        ],
        defaultSubcommand: DashboardCommand.self
    )
}

/// The entry point: runs the command and maps every outcome to reldash's exit codes (argument
/// parsing errors are 2, not ArgumentParser's 64).
@main
enum ReldashMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let wantsJSON = arguments.prefix { $0 != "--" }.contains("--json")
        do {
            var command = try Reldash.parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
            exit(ExitStatus.ok.rawValue)
        } catch let failure as AppFailure {
            report(code: failure.code, message: failure.message, status: failure.status.rawValue, json: wantsJSON)
            exit(failure.status.rawValue)
        } catch let done as ExitWith {
            exit(done.code)
        } catch {
            let code = Reldash.exitCode(for: error)
            if code == .success {
                Console.out(Reldash.fullMessage(for: error) + "\n")
                exit(0)
            }
            let message = Reldash.fullMessage(for: error)
            if wantsJSON {
                report(code: "usage", message: message, status: ExitStatus.usage.rawValue, json: true)
            } else {
                Console.err(message + "\nSee 'reldash --help'.\n")
            }
            exit(ExitStatus.usage.rawValue)
        }
    }

    private static func report(code: String, message: String, status: Int32, json: Bool) {
        if json {
            Console.err(JSONWriter.pretty(ReportJSON.error(code: code, message: message, exitCode: status)))
        } else {
            Console.err("reldash: \(message)\n")
        }
    }
}
