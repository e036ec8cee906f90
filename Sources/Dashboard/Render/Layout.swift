/// Where each pane sits for a terminal size: a header row, the releases list on the left, the
/// manifest above the health pane on the right, the action log, a status line and a key line.
public struct Layout: Equatable, Sendable {
    /// Below this the dashboard shows only what size it needs.
    public static let minimum = FrameSize(columns: 60, rows: 16)

    public let size: FrameSize
    public let leftWidth: Int
    public let rightColumn: Int
    public let rightWidth: Int
    public let bodyTop = 1
    public let bodyRows: Int
    public let manifestRows: Int
    public let healthTop: Int
    public let healthRows: Int
    public let logTop: Int
    public let logRows: Int
    public let statusRow: Int
    public let keysRow: Int

    public init(_ size: FrameSize) {
        self.size = size
        leftWidth = min(size.columns * 11 / 20, 52)
        rightColumn = leftWidth + 1
        rightWidth = max(0, size.columns - rightColumn)
        keysRow = size.rows - 1
        statusRow = size.rows - 2
        logRows = size.rows >= 24 ? 6 : 4
        logTop = statusRow - logRows
        bodyRows = max(0, logTop - bodyTop)
        healthRows = min(bodyRows / 2 + 2, 12)
        manifestRows = max(0, bodyRows - healthRows)
        healthTop = bodyTop + manifestRows
    }

    public var isTooSmall: Bool {
        size.columns < Layout.minimum.columns || size.rows < Layout.minimum.rows
    }

    /// Rows of the releases list under its title.
    public var releaseRows: Int { max(0, bodyRows - 1) }

    /// Sparkline columns in the health pane (also the points asked of Prometheus).
    public var sparkWidth: Int { max(8, rightWidth - 25) }
}
