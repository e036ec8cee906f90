import ReleaseCore
import Testing

@Suite("SHA-256 and line assembly")
struct SHA256AndLinesTests {
    @Test(
        "matches the FIPS 180-4 test vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func vectors(text: String, digest: String) {
        #expect(SHA256.hex(Array(text.utf8)) == digest)
    }

    @Test("gives the same digest whatever the chunking (one million 'a')")
    func chunking() {
        var hasher = SHA256()
        let chunk = Array(repeating: UInt8(ascii: "a"), count: 1_000)
        for _ in 0..<1_000 { hasher.update(chunk) }
        #expect(hasher.hexDigest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        var odd = SHA256()
        for size in [1, 63, 64, 65, 127, 128, 0, 3] { odd.update(Array(repeating: UInt8(7), count: size)) }
        #expect(odd.hexDigest() == SHA256.hex(Array(repeating: UInt8(7), count: 451)))
    }

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
