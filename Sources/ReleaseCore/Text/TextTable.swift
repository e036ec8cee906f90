/// Left-aligned columns separated by two spaces; cells may carry colour (widths ignore it).
public struct TextTable {
    private var rows: [[(text: String, tone: TextStyle.Tone?)]] = []

    public init() {}

    public mutating func add(_ cells: [(String, TextStyle.Tone?)]) {
        rows.append(cells.map { (text: $0.0, tone: $0.1) })
    }

    /// The table as lines, trailing spaces removed.
    public func render(_ style: TextStyle) -> [String] {
        let columns = rows.map(\.count).max() ?? 0
        var widths = Array(repeating: 0, count: columns)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.text.count) }
        }
        return rows.map { row in
            var line = ""
            for (index, cell) in row.enumerated() {
                let isLast = index == row.count - 1
                let padding = isLast ? "" : String(repeating: " ", count: widths[index] - cell.text.count + 2)
                line += (cell.tone.map { style.paint(cell.text, $0) } ?? cell.text) + padding
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }
}
