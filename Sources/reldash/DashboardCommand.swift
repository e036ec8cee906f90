import ArgumentParser
import Dashboard
import ReleaseApp
import ReleaseCore
import ReleaseIO
import TerminalUI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `reldash` (or `reldash dashboard`): the ncurses dashboard in a terminal. When stdout is not a
/// terminal, or with `--json`, it prints `status` instead and never starts curses.
struct DashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "The release dashboard in the terminal (prints `status` when stdout is not a terminal).")

    @OptionGroup var global: GlobalOptions

    @Option(
        name: .long,
        help: ArgumentHelp("Seconds between health polls, e.g. 15, 30s, 1m.", valueName: "duration"))
    var interval = Parsed<PositiveDuration>(argument: "15s")!

    @Option(name: .long, help: ArgumentHelp("Time span of the sparklines, e.g. 15m, 1h.", valueName: "duration"))
    var range = Parsed<PositiveDuration>(argument: "15m")!

    @Flag(name: .long, help: "No deploy or rollback keys (D, R, r); also RELDASH_READ_ONLY=1 (the container image).")
    var readOnly = false

    @Flag(name: .long, help: "Without a terminal (status output): exit 4 when health is not healthy.")
    var failOnDegraded = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Directory holding deploy_local.sh and rollback.sh (default: RELDASH_SCRIPTS_DIR, then ./scripts).",
            valueName: "dir"))
    var scriptsDir: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal.current(environment: environment)
        guard terminal.stdoutIsTerminal, !global.json else {
            try await StatusCommand.print(global, range: range.value.seconds, failOnDegraded: failOnDegraded)
            return
        }
        let context = try CommandContext.make(global, scriptsDir: scriptsDir)
        let options = DashboardOptions(
            readOnly: readOnly || environment["RELDASH_READ_ONLY"] == "1",
            healthInterval: Int(interval.value.seconds.rounded(.up)),
            healthRange: range.value.seconds, glyphs: context.glyphs,
            scriptsDirectory: AppServices.scriptsDirectory(flag: scriptsDir, environment: environment))
        let palette = Palette.choose(isTerminal: true, noColorFlag: global.noColor, environment: environment)
        let session = DashboardSession(services: context.services, options: options, palette: palette)
        let signal: Int32?
        do {
            signal = try await session.run(environment: environment)
        } catch {
            throw AppFailure(code: "no_terminal", message: error.description, status: .precondition)
        }
        // Ended by a signal: exit as a process killed by it would (130 for SIGINT, 143 for SIGTERM).
        if let signal { throw ExitWith(code: 128 + signal) }
    }
}
