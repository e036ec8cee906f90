/// A whole view: the lines a command prints, or a pane draws.
public struct StyledText: Equatable, Sendable {
    public var lines: [StyledLine]

    public init(_ lines: [StyledLine] = []) {
        self.lines = lines
    }

    /// Adds a line at the end.
    public mutating func append(_ line: StyledLine) {
        lines.append(line)
    }

    /// Adds every line of `other` at the end.
    public mutating func append(contentsOf other: StyledText) {
        lines.append(contentsOf: other.lines)
    }

    /// Adds `lines` at the end.
    public mutating func append(contentsOf other: [StyledLine]) {
        lines.append(contentsOf: other)
    }

    /// Columns of the widest line.
    public var width: Int {
        lines.map(\.width).max() ?? 0
    }

    /// Every line without styles, each ended by a newline.
    public var plainText: String {
        lines.map { $0.plainText + "\n" }.joined()
    }
}
