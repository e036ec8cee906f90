/// One line of a view: spans left to right, measured in terminal columns. Renderers (ANSI text,
/// curses) draw it; tests compare it.
public struct StyledLine: Equatable, Sendable, ExpressibleByStringLiteral {
    public private(set) var spans: [StyledSpan]
    /// Terminal columns of the whole line.
    public private(set) var width: Int

    public init(_ spans: [StyledSpan] = []) {
        self.spans = []
        self.width = 0
        for span in spans { append(span) }
    }

    /// A line of one span.
    public init(_ text: String, _ tone: Tone? = nil) {
        self.init([StyledSpan(text, tone)])
    }

    public init(stringLiteral text: String) {
        self.init(text)
    }

    /// Adds a span at the end; empty spans are dropped.
    public mutating func append(_ span: StyledSpan) {
        guard !span.text.isEmpty else { return }
        spans.append(span)
        width += span.width
    }

    /// Adds `text` in `tone` at the end.
    public mutating func append(_ text: String, _ tone: Tone? = nil) {
        append(StyledSpan(text, tone))
    }

    /// The text without styles.
    public var plainText: String {
        spans.map(\.text).joined()
    }

    /// The line without its trailing spaces, whatever their tone (they draw nothing).
    public func trimmingTrailingSpaces() -> StyledLine {
        var kept = spans
        while let last = kept.last {
            var text = Substring(last.text)
            while text.last == " " { text.removeLast() }
            if text.count == last.text.count { break }
            kept.removeLast()
            if !text.isEmpty {
                kept.append(StyledSpan(String(text), last.tone))
                break
            }
        }
        return StyledLine(kept)
    }

    /// The first `columns` columns of the line (a pane narrower than its content).
    public func clipped(toColumns columns: Int) -> StyledLine {
        guard width > columns else { return self }
        var result = StyledLine()
        for span in spans {
            let room = columns - result.width
            if room <= 0 { break }
            if span.width <= room {
                result.append(span)
            } else {
                result.append(TerminalWidth.prefix(span.text, fitting: room), span.tone)
            }
        }
        return result
    }
}
