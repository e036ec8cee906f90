import ReleaseApp
import ReleaseCore
import ReleaseIO

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What a command prints with, and the application services it calls.
struct CommandContext {
    let services: AppServices
    let json: Bool
    let terminal: Terminal
    let renderer: ANSIRenderer
    let glyphs: GlyphSet

    static func make(_ options: GlobalOptions, scriptsDir: String? = nil) throws(AppFailure) -> CommandContext {
        let environment = ProcessInfo.processInfo.environment
        let settings = try Settings.resolve(
            flags: options.layer, configPath: options.config, environment: environment,
            readFile: { FileManager.default.contents(atPath: $0).map { [UInt8]($0) } })
        let clock = try AppServices.clock(environment: environment)
        let terminal = Terminal.current(environment: environment)
        let palette = Palette.choose(
            isTerminal: terminal.stdoutIsTerminal, noColorFlag: options.noColor, environment: environment)
        let scripts = AppServices.scriptsDirectory(flag: scriptsDir, environment: environment)
        return CommandContext(
            services: .live(settings: settings, clock: clock, scriptsDirectory: scripts), json: options.json,
            terminal: terminal, renderer: ANSIRenderer(palette: palette), glyphs: terminal.utf8 ? .unicode : .ascii)
    }

    var now: Timestamp { services.clock.now() }

    /// Sparkline width for text views: what is left of the terminal after the labels.
    var sparkWidth: Int {
        min(120, max(10, terminal.columns - 32))
    }

    /// A view on stdout.
    func print(_ view: StyledText) {
        Console.out(renderer.render(view))
    }
}
