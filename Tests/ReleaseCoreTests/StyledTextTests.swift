import ReleaseCore
import Testing

@Suite("Styled lines, tables and renderers")
struct StyledTextTests {
    @Test("table columns line up in terminal columns when cells hold wide or combining characters")
    func tableAlignsWideText() {
        var table = TextTable()
        table.add([("日本", nil), ("x", nil)])
        table.add([("e\u{301}e\u{301}", nil), ("y", nil)])
        table.add([("👍", .good), ("z", nil)])
        let lines = table.lines()
        #expect(lines.map(\.plainText) == ["日本  x", "e\u{301}e\u{301}    y", "👍    z"])
        #expect(lines.map(\.width) == [7, 7, 7])
        let xColumn = lines.map { line in line.spans.dropLast().reduce(0) { $0 + $1.width } }
        #expect(xColumn == [6, 6, 6])
    }

    @Test("trailing blanks are dropped whatever their tone; empty cells leave no padding")
    func trailingBlanks() {
        var table = TextTable()
        table.add([("a", .muted), ("", .muted)])
        table.add([("b", nil), ("c ", .bad)])
        let lines = table.lines()
        #expect(lines[0] == StyledLine([StyledSpan("a", .muted)]))
        #expect(lines[1].plainText == "b  c")
        #expect(lines[1].spans.last == StyledSpan("c", .bad))
    }

    @Test("control characters from hostile data are neutralised before they reach a terminal")
    func controlCharacters() {
        let span = StyledSpan("evil\u{1B}[2J\u{07}\tok\r\n\u{9B}1m", .bad)
        #expect(span.text == "evil?[2J? ok???1m")
        #expect(span.width == TerminalWidth.of(span.text))
        #expect(!ANSIRenderer(palette: .colored).render(StyledLine([span])).dropFirst(5).contains("\u{1B}[2J"))
    }

    @Test("clipping keeps the first columns, never half of a wide character")
    func clipping() {
        let line = StyledLine([StyledSpan("ab", .muted), StyledSpan("日本語", .good)])
        let clipped = line.clipped(toColumns: 5)
        #expect(clipped.plainText == "ab日")
        #expect(clipped.width == 4)
        #expect(clipped.spans.map(\.tone) == [.muted, .good])
        #expect(line.clipped(toColumns: 40) == line)
    }

    @Test("NO_COLOR is a palette: the same lines, no escape sequence")
    func monochromePalette() {
        let text = StyledText([
            StyledLine([StyledSpan("ok", .good), StyledSpan(" - "), StyledSpan("bad", .bad)]), StyledLine(),
        ])
        #expect(ANSIRenderer(palette: .monochrome).render(text) == "ok - bad\n\n")
        #expect(
            ANSIRenderer(palette: .colored).render(text) == "\u{1B}[32mok\u{1B}[0m - \u{1B}[31mbad\u{1B}[0m\n\n")
        #expect(text.plainText == "ok - bad\n\n")
    }

    @Test("the palette follows NO_COLOR, --no-color and whether stdout is a terminal")
    func choosePalette() {
        #expect(Palette.choose(isTerminal: true, noColorFlag: false, environment: [:]) == .colored)
        #expect(Palette.choose(isTerminal: true, noColorFlag: false, environment: ["NO_COLOR": "1"]) == .monochrome)
        #expect(Palette.choose(isTerminal: true, noColorFlag: false, environment: ["NO_COLOR": ""]) == .colored)
        #expect(Palette.choose(isTerminal: true, noColorFlag: true, environment: [:]) == .monochrome)
        #expect(Palette.choose(isTerminal: false, noColorFlag: false, environment: [:]) == .monochrome)
    }

    @Test("every tone has a distinct look in colour, none in monochrome")
    func tonesAreStyled() {
        let styles = Tone.allCases.map { Palette.colored.style($0) }
        #expect(Set(styles).count == Tone.allCases.count)
        #expect(!styles.contains(.plain))
        #expect(Tone.allCases.allSatisfy { Palette.monochrome.style($0) == .plain })
    }
}
