import Dashboard
import ReleaseApp
import ReleaseCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The dashboard running: events from the curses thread, the effect runner and the signals go
/// through `reduce`; every effect runs in its own task (input is never blocked by I/O); every
/// state is rendered and handed to the curses thread, which draws only the latest frame.
public struct DashboardSession: Sendable {
    public var services: AppServices
    public var options: DashboardOptions
    public var palette: Palette
    public var ttyPath: String

    public init(services: AppServices, options: DashboardOptions, palette: Palette, ttyPath: String = "/dev/tty") {
        self.services = services
        self.options = options
        self.palette = palette
        self.ttyPath = ttyPath
    }

    /// Runs until `q` (or a signal); the terminal is restored on every way out of this function.
    /// SIGINT, SIGTERM and SIGHUP stop a running script as `reldash rollback` does, then quit.
    /// Returns the signal that ended the dashboard, nil after `q`.
    @discardableResult
    public func run(environment: [String: String]) async throws(TerminalUIError) -> Int32? {
        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        let screen = try CursesScreen.open(
            path: ttyPath, palette: palette, environment: environment, send: { continuation.yield($0) })
        let trap = SignalTrap([SIGINT, SIGTERM, SIGHUP]) { continuation.yield(.signal($0)) }
        defer {
            trap.release()
            screen.close()
        }
        let runner = EffectRunner(services: services) { continuation.yield(Event($0)) }
        var state = AppState(options: options, size: screen.initialSize)
        state.now = services.clock.now()
        launch(Dashboard.start(&state), on: runner)
        screen.show(Dashboard.render(state, size: state.size))
        for await event in events {
            if event == .key(.ctrl("l")) { screen.repaint() }
            launch(Dashboard.reduce(&state, event), on: runner)
            if state.done { break }
            screen.show(Dashboard.render(state, size: state.size))
        }
        return state.receivedSignal
    }

    private func launch(_ effects: [Effect], on runner: EffectRunner) {
        for effect in effects {
            Task { await runner.perform(effect) }
        }
    }
}
