import CNCursesW
import Dashboard
import Dispatch
import ReleaseCore
import ReleaseIO
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The terminal, driven by ncursesw from one thread that owns it: that thread opens the tty
/// (`newterm`, never stdin/stdout), reads keys with `wget_wch` and sends them as events, and
/// draws the latest frame `show` left, writing only the cells that changed
/// (`wnoutrefresh`/`doupdate`, never a clear per frame). It sleeps in `poll` on the tty and on a
/// wake-up pipe that `show` writes to, so a frame is drawn as soon as it is ready and an idle
/// dashboard wakes only a few times a second. `close` restores the terminal.
public final class CursesScreen: Sendable {
    private struct Shared {
        var pending: Frame?
        var stopping = false
        var repaint = false
    }

    private let shared = Mutex(Shared())
    private let finished = DispatchSemaphore(value: 0)
    private let wake: WakePipe
    /// The size when the screen opened (later sizes come as `.resize` events).
    public let initialSize: FrameSize

    private init(initialSize: FrameSize, wake: WakePipe) {
        self.initialSize = initialSize
        self.wake = wake
    }

    /// Opens `path` (the controlling tty) with curses; `send` gets keys and resizes from the
    /// curses thread. Refuses a missing tty and TERM=dumb with a message pointing to `--json`.
    public static func open(
        path: String = "/dev/tty", palette: Palette, environment: [String: String],
        send: @escaping @Sendable (Event) -> Void
    ) throws(TerminalUIError) -> CursesScreen {
        let term = environment["TERM"]
        guard let term, !term.isEmpty, term != "dumb" else { throw .dumbTerminal(term: term) }
        let wake = try WakePipe()
        let opened = Mutex<Result<FrameSize, TerminalUIError>?>(nil)
        let ready = DispatchSemaphore(value: 0)
        let box = Mutex<CursesScreen?>(nil)
        let started = startDetachedThread(named: "reldash-curses") {
            let start = CursesSession.open(path: path, term: term, palette: palette)
            switch start {
            case .failure(let error):
                opened.withLock { $0 = .failure(error) }
                ready.signal()
            case .success(let session):
                let size = session.size
                let screen = CursesScreen(initialSize: size, wake: wake)
                box.withLock { $0 = screen }
                opened.withLock { $0 = .success(size) }
                ready.signal()
                screen.loop(session, send: send)
            }
        }
        guard started else { throw .noTerminal(path: path) }
        ready.wait()
        switch opened.withLock({ $0 }) {
        case .failure(let error): throw error
        case .success, nil:
            guard let screen = box.withLock({ $0 }) else { throw .noTerminal(path: path) }
            return screen
        }
    }

    /// Leaves `frame` for the curses thread to draw (only the latest one is drawn).
    public func show(_ frame: Frame) {
        shared.withLock { $0.pending = frame }
        wake.signal()
    }

    /// Draws every cell again on the next frame (Ctrl-L).
    public func repaint() {
        shared.withLock { $0.repaint = true }
        wake.signal()
    }

    /// Restores the terminal and waits until the curses thread has ended.
    public func close() {
        let first = shared.withLock { state -> Bool in
            defer { state.stopping = true }
            return !state.stopping
        }
        if first {
            wake.signal()
            finished.wait()
            wake.release()
        }
    }

    private func loop(_ session: CursesSession, send: @Sendable (Event) -> Void) {
        defer {
            session.end()
            finished.signal()
        }
        while true {
            let (stop, frame, repaint) = shared.withLock { state in
                defer {
                    state.pending = nil
                    state.repaint = false
                }
                return (state.stopping, state.pending, state.repaint)
            }
            if stop { return }
            if let frame { session.draw(frame, repaint: repaint) }
            // Sleeps until a key, a frame, or 250 ms (a SIGWINCH caught by another thread is seen
            // by the next read): then reads every key ncurses has, without waiting.
            wake.wait(alsoOn: session.fileDescriptor, milliseconds: 250)
            reading: while true {
                switch session.readKey() {
                case .key(let key): send(.key(key))
                case .resize(let size): send(.resize(size))
                case .none: break reading
                }
            }
        }
    }
}
