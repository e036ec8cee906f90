import CNCursesW
import Dashboard
import ReleaseCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One curses session on a tty; used only by the curses thread of `CursesScreen`.
final class CursesSession {
    enum Input {
        case key(Key)
        case resize(FrameSize)
        case none
    }

    private let screen: OpaquePointer
    private let file: UnsafeMutablePointer<FILE>
    private let look: CursesLook
    private var shown: Frame?

    private init(screen: OpaquePointer, file: UnsafeMutablePointer<FILE>, look: CursesLook) {
        self.screen = screen
        self.file = file
        self.look = look
    }

    /// `setlocale` first (wide characters, block sparklines), then `newterm` on `path`.
    static func open(path: String, term: String, palette: Palette) -> Result<CursesSession, TerminalUIError> {
        setlocale(LC_ALL, "")
        guard let file = rd_open_tty(path) else { return .failure(.noTerminal(path: path)) }
        // A crash (SIGSEGV, a Swift trap, abort) must not leave the terminal raw and hidden.
        _ = rd_arm_crash_restore(fileno(file))
        guard let screen = newterm(term, file, file) else {
            rd_disarm_crash_restore()
            fclose(file)
            return .failure(.cursesRefused(term: term))
        }
        set_term(screen)
        cbreak()
        noecho()
        nonl()
        rd_keypad()
        curs_set(0)
        set_escdelay(25)
        rd_set_timeout(0)
        var colours = false
        if palette != .monochrome, has_colors() {
            start_color()
            use_default_colors()
            CursesLook.initialisePairs()
            colours = true
        }
        return .success(CursesSession(screen: screen, file: file, look: CursesLook(palette: palette, colours: colours)))
    }

    /// The tty's descriptor, to wait on.
    var fileDescriptor: Int32 { fileno(file) }

    var size: FrameSize {
        FrameSize(columns: Int(rd_cols()), rows: Int(rd_lines()))
    }

    func readKey() -> Input {
        var code: UInt32 = 0
        let result = rd_get_wch(&code)
        if result == rd_err() { return .none }
        if result == rd_key_code_yes(), Int32(bitPattern: code) == rd_key_resize() {
            shown = nil
            return .resize(size)
        }
        return KeyDecoder.decode(result: result, code: code).map { .key($0) } ?? .none
    }

    /// Writes the cells of `frame` that differ from the frame on screen, then one `doupdate`.
    func draw(_ frame: Frame, repaint: Bool) {
        if repaint {
            shown = nil
            rd_clear_ok()
        }
        guard frame.size == size else { return }
        for run in FrameDiff.runs(from: shown, to: frame) {
            write(run)
        }
        shown = frame
        rd_refresh_stdscr()
        doupdate()
    }

    private func write(_ run: FrameRun) {
        var column = run.column
        var text = ""
        var textColumn = column
        var current: CellLook?
        func flush() {
            guard let lookNow = current, !text.isEmpty else { return }
            let (attributes, pair) = look.attributes(lookNow)
            rd_set_attributes(attributes, pair)
            var bytes = Array(text.utf8CString)
            let length = Int32(bytes.count - 1)
            bytes.withUnsafeMutableBufferPointer { rd_write(Int32(run.row), Int32(textColumn), $0.baseAddress, length) }
            text = ""
        }
        for cell in run.cells {
            defer { column += 1 }
            if cell.isContinuation { continue }
            if cell.look != current || text.isEmpty {
                flush()
                current = cell.look
                textColumn = column
            }
            text += cell.text
        }
        flush()
    }

    /// Restores the terminal (cooked mode, cursor, colours) and frees the screen.
    func end() {
        curs_set(1)
        endwin()
        rd_disarm_crash_restore()
        delscreen(screen)
        fclose(file)
    }
}
