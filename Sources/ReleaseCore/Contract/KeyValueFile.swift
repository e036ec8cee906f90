/// The KEY=VALUE files of a deploy tree (release.env, BAD, the lock's info) as
/// deploy/contract/README.md reads them, like scripts/lib/kv.sh: read line by line, never
/// executed; a trailing CR and a leading UTF-8 byte order mark are dropped; lines that are not
/// `KEY=VALUE` with a key of `[A-Za-z_][A-Za-z0-9_]*` are skipped; the last line of a key wins.
public enum KeyValueFile {
    public static func parse(_ bytes: [UInt8]) -> [String: String] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var values: [String: String] = [:]
        for rawLine in body.split(separator: 0x0A, omittingEmptySubsequences: true) {
            let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")), equals != line.startIndex else { continue }
            let key = line[..<equals]
            guard let first = key.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
                key.allSatisfy(isKeyByte)
            else { continue }
            values[String(decoding: key, as: UTF8.self)] = String(decoding: line[(equals + 1)...], as: UTF8.self)
        }
        return values
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}
