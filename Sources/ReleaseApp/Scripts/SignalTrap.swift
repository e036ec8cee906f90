import Dispatch
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// While a script runs, SIGINT and SIGTERM no longer end reldash: they call `onSignal` (a front end
/// passes `ScriptRun.stop`, so the script gets SIGTERM then SIGKILL and its output is still read).
/// `release()` gives both signals back their default action.
public final class SignalTrap: Sendable {
    private let sources: Mutex<[any DispatchSourceSignal]>

    public init(_ signals: [Int32] = [SIGINT, SIGTERM], onSignal: @escaping @Sendable (Int32) -> Void) {
        var created: [any DispatchSourceSignal] = []
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { onSignal(number) }
            source.resume()
            created.append(source)
        }
        sources = Mutex(created)
    }

    /// Stops listening and restores the default action of the signals.
    public func release() {
        let released = sources.withLock { sources in
            defer { sources.removeAll() }
            return sources
        }
        for source in released {
            source.cancel()
            signal(Int32(source.handle), SIG_DFL)
        }
    }
}
