/// Renders styled lines as text for a terminal or a pipe: each styled span wrapped in its ANSI SGR
/// sequence and a reset, each line ended by a newline. With `.monochrome` no escape is written.
public struct ANSIRenderer: Sendable {
    public let palette: Palette

    public init(palette: Palette) {
        self.palette = palette
    }

    /// The whole view, each line ended by a newline.
    public func render(_ text: StyledText) -> String {
        var output = ""
        for line in text.lines {
            output += render(line)
            output += "\n"
        }
        return output
    }

    /// One line, without its newline.
    public func render(_ line: StyledLine) -> String {
        var output = ""
        for span in line.spans {
            let parameters = ANSIRenderer.parameters(palette.style(span.tone))
            if parameters.isEmpty {
                output += span.text
            } else {
                output += "\u{1B}[" + parameters + "m" + span.text + "\u{1B}[0m"
            }
        }
        return output
    }

    /// SGR parameters of a style (`32`, `1;31`); empty for the default look.
    static func parameters(_ style: CellStyle) -> String {
        var parts: [String] = []
        if style.bold { parts.append("1") }
        if style.dim { parts.append("2") }
        if let color = style.foreground { parts.append(String(30 + color.rawValue)) }
        return parts.joined(separator: ";")
    }
}
