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

/// Facts about the terminal reldash writes to, read once at start.
public struct Terminal: Sendable {
    public var stdoutIsTerminal: Bool
    public var stdinIsTerminal: Bool
    /// Columns of the terminal (ioctl, then $COLUMNS, then 80).
    public var columns: Int
    /// True when the locale's character set is UTF-8 (block sparklines can be shown).
    public var utf8: Bool

    public init(stdoutIsTerminal: Bool, stdinIsTerminal: Bool, columns: Int, utf8: Bool) {
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stdinIsTerminal = stdinIsTerminal
        self.columns = columns
        self.utf8 = utf8
    }

    /// The terminal of this process and its environment.
    public static func current(environment: [String: String]) -> Terminal {
        var size = winsize()
        var columns = 0
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { columns = Int(size.ws_col) }
        if columns == 0, let text = environment["COLUMNS"], let value = Int(text), value > 0 { columns = value }
        let locale =
            environment["LC_ALL"].flatMap { $0.isEmpty ? nil : $0 }
            ?? environment["LC_CTYPE"].flatMap { $0.isEmpty ? nil : $0 } ?? environment["LANG"] ?? ""
        let normalised = String(locale.lowercased().filter { $0 != "-" })
        return Terminal(
            stdoutIsTerminal: isatty(STDOUT_FILENO) == 1, stdinIsTerminal: isatty(STDIN_FILENO) == 1,
            columns: columns == 0 ? 80 : columns, utf8: normalised.contains("utf8"))
    }
}
