import ReleaseCore
import Testing

@Suite("Line assembly")
struct LineAssemblerTests {
    @Test("cuts lines across chunks, drops CR before LF, keeps a last line without newline")
    func assemblesLines() {
        var assembler = LineAssembler()
        #expect(assembler.append(Array("one\ntw".utf8)) == ["one"])
        #expect(assembler.append(Array("o\r\n\nthree".utf8)) == ["two", ""])
        #expect(assembler.finish() == "three")
        #expect(assembler.finish() == nil)
    }

    @Test("cuts a line longer than the maximum instead of holding it")
    func cutsLongLines() {
        var assembler = LineAssembler(maximumLength: 4)
        #expect(assembler.append(Array("abcdefghij\n".utf8)) == ["abcd", "efgh", "ij"])
    }

    @Test("replaces invalid UTF-8 rather than failing")
    func invalidUTF8() {
        var assembler = LineAssembler()
        #expect(assembler.append([0x61, 0xFF, 0x62, 0x0A]) == ["a\u{FFFD}b"])
    }
}
