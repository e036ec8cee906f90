import ReleaseCore
import Testing

@Suite("Terminal width (wcwidth rules)")
struct TerminalWidthTests {
    @Test(
        "each class of character takes the columns a terminal gives it",
        arguments: [
            ("release", 7),
            ("é", 1),  // precomposed
            ("e\u{301}", 1),  // e + combining acute: one column
            ("a\u{20DD}", 1),  // enclosing circle
            ("日本語", 6),  // CJK ideographs
            ("ｱ", 1),  // halfwidth katakana
            ("Ａ", 2),  // fullwidth A
            ("한국", 4),  // Hangul syllables
            ("👍", 2),
            ("👍🏽", 2),  // skin tone modifier: one glyph
            ("👨‍👩‍👧", 2),  // ZWJ family: one glyph
            ("❤️", 2),  // text-default heart with VS16: emoji presentation
            ("❤", 1),  // the same without VS16
            ("🇫🇷", 2),  // flag: a regional-indicator pair
            ("\u{200B}", 0),  // zero width space
            ("\u{AD}", 1),  // soft hyphen (shown by terminals)
            ("▁▂█", 3),  // sparkline blocks: ambiguous width, narrow outside CJK locales
            ("\u{1B}[31m", 4),  // ESC is a control: 0, the rest printable
            ("", 0),
        ])
    func widths(text: String, columns: Int) {
        #expect(TerminalWidth.of(text) == columns)
    }

    @Test("single code points at the edges of the tables")
    func scalarEdges() {
        #expect(TerminalWidth.of(Unicode.Scalar(0x300)!) == 0)  // first combining mark
        #expect(TerminalWidth.of(Unicode.Scalar(0x2FF)!) == 1)
        #expect(TerminalWidth.of(Unicode.Scalar(0x1100)!) == 2)  // first Hangul Jamo lead, wide
        #expect(TerminalWidth.of(Unicode.Scalar(0x115F)!) == 2)
        #expect(TerminalWidth.of(Unicode.Scalar(0x1160)!) == 0)  // Hangul vowel filler, zero
        #expect(TerminalWidth.of(Unicode.Scalar(0x3FFFD)!) == 2)  // last wide (plane 3)
        #expect(TerminalWidth.of(Unicode.Scalar(0x40000)!) == 1)
        #expect(TerminalWidth.of(Unicode.Scalar(0x85)!) == 0)  // C1 control
        #expect(TerminalWidth.of(Unicode.Scalar(0xE0001)!) == 0)  // language tag
    }

    @Test("a prefix never cuts a wide character in half")
    func prefix() {
        #expect(TerminalWidth.prefix("日本語", fitting: 5) == "日本")
        #expect(TerminalWidth.prefix("日本語", fitting: 6) == "日本語")
        #expect(TerminalWidth.prefix("e\u{301}x", fitting: 1) == "e\u{301}")
        #expect(TerminalWidth.prefix("abc", fitting: 0) == "")
    }
}
