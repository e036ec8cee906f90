/// The identifier of a release: the UTC time the deploy started, as `YYYYMMDDTHHMMSSZ`.
///
/// The format sorts lexicographically in time order, which is why releases are ordered by id and
/// never by file modification time.
public struct ReleaseID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The id as written on disk, e.g. `20261124T181500Z`.
    public let rawValue: String
    /// The 14 digits as one number: compares like the text, much faster.
    private let key: Int64

    /// Accepts exactly `YYYYMMDDTHHMMSSZ` naming a real UTC second (years 1970-9999, the month's
    /// days with Gregorian leap years, no leap second: deploy/contract/README.md); nil otherwise.
    public init?(_ text: String) {
        guard ReleaseID.isWellFormed(text) else { return nil }
        rawValue = text
        key = text.utf8.reduce(0) { (48...57).contains($1) ? $0 * 10 + Int64($1 - 48) : $0 }
    }

    public static func == (lhs: ReleaseID, rhs: ReleaseID) -> Bool {
        lhs.key == rhs.key
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(key)
    }

    public var description: String { rawValue }

    /// The time the id stands for, in seconds since 1970-01-01T00:00:00Z.
    public var epochSeconds: Int64 {
        let digits = Array(rawValue.utf8)
        func number(_ range: Range<Int>) -> Int {
            digits[range].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        let civil = CivilTime(
            year: number(0..<4), month: number(4..<6), day: number(6..<8),
            hour: number(9..<11), minute: number(11..<13), second: number(13..<15))
        return civil.epochSeconds
    }

    public static func < (lhs: ReleaseID, rhs: ReleaseID) -> Bool {
        lhs.key < rhs.key
    }

    private static func isWellFormed(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[8] == UInt8(ascii: "T"), bytes[15] == UInt8(ascii: "Z") else {
            return false
        }
        let digitPositions = Array(0..<8) + Array(9..<15)
        guard digitPositions.allSatisfy({ (48...57).contains(bytes[$0]) }) else { return false }
        func number(_ range: Range<Int>) -> Int {
            bytes[range].reduce(0) { $0 * 10 + Int($1 - 48) }
        }
        let year = number(0..<4)
        let month = number(4..<6)
        let day = number(6..<8)
        guard year >= 1970, (1...12).contains(month) else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return (1...days).contains(day) && number(9..<11) < 24 && number(11..<13) < 60 && number(13..<15) < 60
    }
}
