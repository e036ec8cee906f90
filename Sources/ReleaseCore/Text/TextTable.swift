/// Left-aligned columns separated by two blanks, measured in terminal columns (a wide character
/// counts 2, a combining mark 0), whatever the tone of each cell.
public struct TextTable {
    private var rows: [[StyledSpan]] = []

    public init() {}

    /// Adds a row; rows may have fewer cells than the widest.
    public mutating func add(_ cells: [StyledSpan]) {
        rows.append(cells)
    }

    /// Adds a row of (text, tone) cells.
    public mutating func add(_ cells: [(String, Tone?)]) {
        rows.append(cells.map { StyledSpan($0.0, $0.1) })
    }

    /// The table as lines, trailing blanks removed.
    public func lines() -> [StyledLine] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.width) }
        }
        return rows.map { row in
            var line = StyledLine()
            for (index, cell) in row.enumerated() {
                line.append(cell)
                if index < row.count - 1 { line.append(.blank(widths[index] - cell.width + 2)) }
            }
            return line.trimmingTrailingSpaces()
        }
    }
}
