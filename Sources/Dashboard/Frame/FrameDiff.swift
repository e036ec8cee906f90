/// A run of adjacent cells of one row to write, all changed since the previous frame.
public struct FrameRun: Equatable, Sendable {
    public var row: Int
    public var column: Int
    public var cells: [Cell]

    public init(row: Int, column: Int, cells: [Cell]) {
        self.row = row
        self.column = column
        self.cells = cells
    }
}

/// What to write to turn the screen showing `old` into `new`: only the cells that differ, grouped
/// in runs. With no previous frame, or a new size, every cell is written.
public enum FrameDiff {
    public static func runs(from old: Frame?, to new: Frame) -> [FrameRun] {
        let same = old.map { $0.size == new.size } ?? false
        var runs: [FrameRun] = []
        for row in 0..<new.size.rows {
            var current: FrameRun?
            for column in 0..<new.size.columns {
                let cell = new[row, column]
                var changed = !same || old?[row, column] != cell
                // A changed continuation means its wide character changed: write from that one.
                if !changed, column + 1 < new.size.columns, cell.width == 2,
                    old?[row, column + 1] != new[row, column + 1]
                {
                    changed = true
                }
                if changed {
                    if current == nil { current = FrameRun(row: row, column: column, cells: []) }
                    current?.cells.append(cell)
                } else if let run = current {
                    runs.append(run)
                    current = nil
                }
            }
            if let run = current { runs.append(run) }
        }
        return runs
    }
}
