import ReleaseCore

/// The size of a terminal in cells.
public struct FrameSize: Hashable, Sendable {
    public var columns: Int
    public var rows: Int

    public init(columns: Int, rows: Int) {
        self.columns = max(0, columns)
        self.rows = max(0, rows)
    }
}

/// How a cell looks, by meaning: its tone (a `Palette` picks the colour) and whether it is shown
/// in reverse video (the selection, the focused button, pane titles).
public struct CellLook: Hashable, Sendable {
    public var tone: Tone?
    public var reverse: Bool

    public init(tone: Tone? = nil, reverse: Bool = false) {
        self.tone = tone
        self.reverse = reverse
    }

    public static let plain = CellLook()
}

/// One cell of a frame: the character drawn there and its look. A double-width character takes
/// its cell (`width` 2) and the next one, which holds an empty `text` (a continuation).
public struct Cell: Hashable, Sendable {
    public var text: String
    public var width: Int
    public var look: CellLook

    public init(_ text: String, width: Int = 1, look: CellLook = .plain) {
        self.text = text
        self.width = width
        self.look = look
    }

    public static let blank = Cell(" ")

    /// True for the right half of a double-width character.
    public var isContinuation: Bool { width == 0 }
}

/// A whole screen as a value: what `render` returns, what a terminal draws (only the cells that
/// changed since the previous frame) and what snapshot tests compare.
public struct Frame: Equatable, Sendable {
    public let size: FrameSize
    public private(set) var cells: [Cell]

    /// A frame of blank cells.
    public init(size: FrameSize) {
        self.size = size
        cells = Array(repeating: .blank, count: size.columns * size.rows)
    }

    public subscript(row: Int, column: Int) -> Cell {
        cells[row * size.columns + column]
    }

    /// Draws `line` at `row`, `column`, clipped to `width` columns (to the frame's edge when nil)
    /// and padded with blanks in `pad` when given. Every span takes the look of its tone, in
    /// reverse video when `reverse` is set.
    public mutating func draw(
        _ line: StyledLine, row: Int, column: Int, width: Int? = nil, reverse: Bool = false, pad: Bool = false
    ) {
        guard row >= 0, row < size.rows, column >= 0, column < size.columns else { return }
        let room = min(width ?? size.columns - column, size.columns - column)
        guard room > 0 else { return }
        var position = column
        for span in line.clipped(toColumns: room).spans {
            let look = CellLook(tone: span.tone, reverse: reverse)
            for character in span.text {
                let wide = TerminalWidth.of(character)
                guard wide > 0 else { continue }
                guard position + wide <= column + room else { break }
                set(row, position, Cell(String(character), width: wide, look: look))
                if wide == 2 { set(row, position + 1, Cell("", width: 0, look: look)) }
                position += wide
            }
        }
        if pad {
            let look = CellLook(reverse: reverse)
            while position < column + room {
                set(row, position, Cell(" ", look: look))
                position += 1
            }
        }
    }

    /// Draws plain text in one tone.
    public mutating func draw(
        _ text: String, _ tone: Tone? = nil, row: Int, column: Int, width: Int? = nil, reverse: Bool = false,
        pad: Bool = false
    ) {
        draw(StyledLine(text, tone), row: row, column: column, width: width, reverse: reverse, pad: pad)
    }

    /// Writes the cells of `run` as they are, what a terminal does with a run of `FrameDiff`.
    public mutating func apply(_ run: FrameRun) {
        for (offset, cell) in run.cells.enumerated() where run.column + offset < size.columns {
            cells[run.row * size.columns + run.column + offset] = cell
        }
    }

    private mutating func set(_ row: Int, _ column: Int, _ cell: Cell) {
        let index = row * size.columns + column
        // Overwriting half of a wide character blanks its other half, so no cell is left orphaned.
        if cells[index].width == 2, column + 1 < size.columns { cells[index + 1] = .blank }
        if cells[index].isContinuation, column > 0 { cells[index - 1] = .blank }
        cells[index] = cell
    }
}
