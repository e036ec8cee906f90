/// The look of a cell, independent of how a terminal is driven: ANSI SGR parameters for text
/// output, attributes and colour pairs for curses.
public struct CellStyle: Hashable, Sendable {
    /// One of the eight basic terminal colours; nil keeps the terminal's own (readable on light and
    /// dark themes alike).
    public var foreground: TerminalColor?
    public var bold: Bool
    public var dim: Bool

    public init(foreground: TerminalColor? = nil, bold: Bool = false, dim: Bool = false) {
        self.foreground = foreground
        self.bold = bold
        self.dim = dim
    }

    /// The terminal's default look.
    public static let plain = CellStyle()
}

/// The eight basic colours, in ANSI/curses order (`COLOR_BLACK` ... `COLOR_WHITE`).
public enum TerminalColor: Int, Hashable, Sendable, CaseIterable {
    case black
    case red
    case green
    case yellow
    case blue
    case magenta
    case cyan
    case white
}

/// Which look each tone gets. NO_COLOR (and `--no-color`, and output that is not a terminal) is
/// the `.monochrome` palette: views and renderers are the same code either way.
public struct Palette: Equatable, Sendable {
    private var styles: [Tone: CellStyle]

    public init(_ styles: [Tone: CellStyle]) {
        self.styles = styles
    }

    /// The look of `tone`; `.plain` for no tone or a tone the palette does not style.
    public func style(_ tone: Tone?) -> CellStyle {
        tone.flatMap { styles[$0] } ?? .plain
    }

    /// Green good, yellow warning, red bad, dim muted, bold strong.
    public static let colored = Palette([
        .good: CellStyle(foreground: .green), .warning: CellStyle(foreground: .yellow),
        .bad: CellStyle(foreground: .red), .muted: CellStyle(dim: true), .strong: CellStyle(bold: true),
    ])

    /// Every tone in the terminal's default look.
    public static let monochrome = Palette([:])

    /// `.colored` when colour is wanted and possible, else `.monochrome`: `NO_COLOR` set and not
    /// empty, `--no-color`, or output that is not a terminal.
    public static func choose(isTerminal: Bool, noColorFlag: Bool, environment: [String: String]) -> Palette {
        let noColor = noColorFlag || environment["NO_COLOR"].map { !$0.isEmpty } == true
        return isTerminal && !noColor ? .colored : .monochrome
    }
}

/// Which characters views may draw with: block sparklines in a UTF-8 locale, ASCII elsewhere.
public enum GlyphSet: Equatable, Sendable {
    case unicode
    case ascii
}
