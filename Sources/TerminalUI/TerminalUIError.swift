/// Why the dashboard cannot open, with what to do instead.
public enum TerminalUIError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No controlling terminal (cron, CI, a pipe without a tty).
    case noTerminal(path: String)
    /// TERM is unset or `dumb`: curses cannot draw.
    case dumbTerminal(term: String?)
    /// ncurses refused the terminal (unknown TERM, no terminfo entry).
    case cursesRefused(term: String?)
    /// The wake-up pipe of the curses thread could not be made (out of file descriptors?).
    case pipeFailed(errno: Int32)

    public var description: String {
        switch self {
        case .noTerminal(let path):
            return "the dashboard needs a terminal and \(path) cannot be opened; "
                + "use `reldash status` (or `reldash status --json` in scripts)"
        case .dumbTerminal(let term):
            return "the dashboard cannot draw on TERM=\(term ?? "(unset)"); "
                + "set TERM (e.g. xterm-256color), or use `reldash status --json`"
        case .cursesRefused(let term):
            return "ncurses does not know TERM=\(term ?? "(unset)") (no terminfo entry?); "
                + "try TERM=xterm-256color, or use `reldash status --json`"
        case .pipeFailed(let errno):
            return "the dashboard could not create a pipe (errno \(errno)): too many open files? "
                + "`reldash status --json` needs none"
        }
    }
}
