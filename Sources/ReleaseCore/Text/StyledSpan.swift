/// A run of text with one tone, and its width in terminal columns. Control characters (escape
/// sequences in a hostile manifest, stray newlines) are replaced by `?` and tabs by a space, so
/// that a span always occupies exactly `width` cells on any renderer.
public struct StyledSpan: Equatable, Sendable {
    public let text: String
    /// nil: the renderer's default look.
    public let tone: Tone?
    /// Terminal columns (`TerminalWidth`).
    public let width: Int

    public init(_ text: String, _ tone: Tone? = nil) {
        let clean = StyledSpan.sanitized(text)
        self.text = clean
        self.tone = tone
        self.width = TerminalWidth.of(clean)
    }

    /// Blank columns in the default tone (table padding).
    public static func blank(_ columns: Int) -> StyledSpan {
        StyledSpan(String(repeating: " ", count: max(0, columns)))
    }

    private static func sanitized(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) else { return text }
        var clean = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0x09: clean.append(" ")
            case 0..<0x20, 0x7F..<0xA0: clean.append("?")
            default: clean.append(scalar)
            }
        }
        return String(clean)
    }
}
