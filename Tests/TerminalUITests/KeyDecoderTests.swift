import CNCursesW
import Dashboard
import ReleaseCore
import Testing

@testable import TerminalUI

/// What `wget_wch` returns, decoded into keys; looks into curses attributes and pairs.
@Suite("curses keys and looks")
struct KeyDecoderTests {
    static let ok: Int32 = 0

    @Test(
        "characters and control codes",
        arguments: [
            (UInt32(106), Key.character("j")), (75, .character("K")), (9, .tab), (13, .enter), (10, .enter),
            (27, .escape), (18, .ctrl("r")), (12, .ctrl("l")), (0x00E9, .character("é")),
        ])
    func characters(code: UInt32, key: Key) {
        #expect(KeyDecoder.decode(result: Self.ok, code: code) == key)
    }

    @Test("function keys")
    func functionKeys() {
        let yes = rd_key_code_yes()
        let table: [(Int32, Key)] = [
            (rd_key_up(), .up), (rd_key_down(), .down), (rd_key_home(), .home), (rd_key_end(), .end),
            (rd_key_ppage(), .pageUp), (rd_key_npage(), .pageDown), (rd_key_btab(), .backTab), (rd_key_f5(), .f5),
        ]
        for (code, key) in table {
            #expect(KeyDecoder.decode(result: yes, code: UInt32(bitPattern: code)) == key)
        }
    }

    @Test("monochrome: no colour pair, reverse video kept; colours: pair N+1 for colour N")
    func looks() {
        let mono = CursesLook(palette: .monochrome, colours: false)
        let bad = CellLook(tone: .bad, reverse: true)
        #expect(mono.attributes(bad).1 == 0)
        #expect(mono.attributes(bad).0 & rd_a_reverse() != 0)
        let coloured = CursesLook(palette: .colored, colours: true)
        #expect(coloured.attributes(CellLook(tone: .bad)).1 == Int16(TerminalColor.red.rawValue + 1))
        #expect(coloured.attributes(CellLook(tone: .strong)).0 & rd_a_bold() != 0)
        #expect(coloured.attributes(.plain) == (rd_a_normal(), 0))
    }
}
