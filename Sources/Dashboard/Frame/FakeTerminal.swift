import ReleaseCore

/// A terminal in memory: it applies the same runs the curses screen writes (and nothing else), so
/// tests see what a person would see, and how many cells each frame cost. `text` is the screen as
/// lines; `styleLayer` one letter per cell for its look (see `StyleCode`).
public struct FakeTerminal: Sendable {
    /// What the terminal shows: the cells written so far.
    public private(set) var screen: Frame
    private var shown: Frame?
    /// Cells written by the last `show`.
    public private(set) var lastCellsWritten = 0

    public init(size: FrameSize) {
        screen = Frame(size: size)
    }

    /// Draws `frame` the way the curses screen does: only the runs that changed.
    public mutating func show(_ frame: Frame) {
        if frame.size != screen.size { screen = Frame(size: frame.size) }
        let runs = FrameDiff.runs(from: shown, to: frame)
        lastCellsWritten = runs.reduce(0) { $0 + $1.cells.count }
        for run in runs { screen.apply(run) }
        shown = frame
    }

    /// The screen as text, one line per row, trailing blanks removed.
    public var text: String {
        Self.text(of: screen)
    }

    /// One letter per cell: ` ` plain, `g` good, `w` warning, `b` bad, `m` muted, `s` strong;
    /// upper case (and `#` for plain) in reverse video. Trailing plain cells removed.
    public var styleLayer: String {
        Self.styleLayer(of: screen)
    }

    /// `frame` as text, one line per row, trailing blanks removed.
    public static func text(of frame: Frame) -> String {
        var lines: [String] = []
        for row in 0..<frame.size.rows {
            var line = ""
            for column in 0..<frame.size.columns {
                line += frame[row, column].text
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The style layer of `frame` (see `styleLayer`).
    public static func styleLayer(of frame: Frame) -> String {
        var lines: [String] = []
        for row in 0..<frame.size.rows {
            var line = ""
            for column in 0..<frame.size.columns {
                line.append(StyleCode.letter(frame[row, column].look))
            }
            while line.last == " " { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The letters of a style layer.
public enum StyleCode {
    public static func letter(_ look: CellLook) -> Character {
        let base: Character
        switch look.tone {
        case nil: return look.reverse ? "#" : " "
        case .good: base = "g"
        case .warning: base = "w"
        case .bad: base = "b"
        case .muted: base = "m"
        case .strong: base = "s"
        }
        return look.reverse ? Character(base.uppercased()) : base
    }
}
