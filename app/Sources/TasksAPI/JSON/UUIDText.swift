// Kept, measured 2026-12-02: writing an id 0.69 µs vs uuidString.lowercased() 3.5 µs; parsing 0.68 vs 1.28 µs.
#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

enum HexDigits {
    static let lowercase: [UInt8] = Array("0123456789abcdef".utf8)

    /// The value of one hexadecimal digit (either case), nil for any other byte.
    static func value(of byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }
}

/// The textual form of task ids and request ids, `8-4-4-4-12` hexadecimal digits, written and read without going
/// through Foundation's `uuid_unparse`/`uuid_parse` (printf and scanf under the hood).
extension UUID {
    /// Parses the 36-character form, hex digits in either case; nil for anything else (as `UUID(uuidString:)`).
    init?(text: some StringProtocol) {
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &value) { output -> Bool in
            var offset = 0
            var nibbles = 0
            for byte in text.utf8 {
                defer { offset += 1 }
                guard offset < 36 else { return false }
                if offset == 8 || offset == 13 || offset == 18 || offset == 23 {
                    guard byte == UInt8(ascii: "-") else { return false }
                    continue
                }
                guard let digit = HexDigits.value(of: byte) else { return false }
                output[nibbles / 2] |= nibbles % 2 == 0 ? digit << 4 : digit
                nibbles += 1
            }
            return offset == 36
        }
        guard parsed else { return nil }
        self.init(uuid: value)
    }

    /// The lowercase 36-character form.
    var lowercasedText: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(36)
        appendLowercasedText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the lowercase 36-character form to `output`.
    func appendLowercasedText(to output: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { raw in
            for (index, byte) in raw.enumerated() {
                if index == 4 || index == 6 || index == 8 || index == 10 { output.append(UInt8(ascii: "-")) }
                output.append(HexDigits.lowercase[Int(byte >> 4)])
                output.append(HexDigits.lowercase[Int(byte & 0xF)])
            }
        }
    }
}
