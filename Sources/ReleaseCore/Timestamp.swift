/// A point in time, in seconds since 1970-01-01T00:00:00Z. ReleaseCore never reads a clock:
/// callers pass "now" as a `Timestamp`.
public struct Timestamp: Hashable, Comparable, Sendable {
    /// Seconds since the Unix epoch, with a fractional part.
    public var seconds: Double

    public init(seconds: Double) {
        self.seconds = seconds
    }

    /// Parses an RFC 3339 date-time: `2026-11-24T18:15:00Z`, with optional fractional seconds and
    /// a `Z` or `±HH:MM` offset. Returns nil for anything else.
    public init?(rfc3339 text: String) {
        var scanner = DigitScanner(text)
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
            let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2), scanner.skip(":"),
            let second = scanner.number(digits: 2)
        else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
            return nil
        }
        var fraction = 0.0
        if scanner.skip(".") {
            guard let digits = scanner.fractionDigits() else { return nil }
            fraction = digits
        }
        let offset: Int
        if scanner.skip("Z") || scanner.skip("z") {
            offset = 0
        } else if let sign = scanner.sign(), let offsetHours = scanner.number(digits: 2), scanner.skip(":"),
            let offsetMinutes = scanner.number(digits: 2)
        {
            offset = sign * (offsetHours * 3_600 + offsetMinutes * 60)
        } else {
            return nil
        }
        guard scanner.isAtEnd else { return nil }
        let civil = CivilTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        seconds = Double(civil.epochSeconds - Int64(offset)) + fraction
    }

    /// `2026-11-24T18:15:00Z`: UTC, whole seconds (the fraction is dropped, not rounded).
    public var rfc3339: String {
        let whole = Int64(seconds.rounded(.down))
        let civil = CivilTime(epochSeconds: whole)
        guard (0...9_999).contains(civil.year) else {
            return "\(civil.year)-\(pad(civil.month, 2))-\(pad(civil.day, 2))T"
                + "\(pad(civil.hour, 2)):\(pad(civil.minute, 2)):\(pad(civil.second, 2))Z"
        }
        // Written digit by digit: listings format 20,000 of these.
        var bytes: [UInt8] = Array("0000-00-00T00:00:00Z".utf8)
        func put(_ value: Int, at offset: Int, width: Int) {
            var rest = value
            for position in stride(from: offset + width - 1, through: offset, by: -1) {
                bytes[position] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            }
        }
        put(civil.year, at: 0, width: 4)
        put(civil.month, at: 5, width: 2)
        put(civil.day, at: 8, width: 2)
        put(civil.hour, at: 11, width: 2)
        put(civil.minute, at: 14, width: 2)
        put(civil.second, at: 17, width: 2)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The time `interval` seconds later (earlier when negative).
    public func adding(_ interval: Double) -> Timestamp {
        Timestamp(seconds: seconds + interval)
    }

    /// Seconds from `earlier` to this time (negative when `earlier` is later).
    public func seconds(since earlier: Timestamp) -> Double {
        seconds - earlier.seconds
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.seconds < rhs.seconds
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
}

/// Reads fixed-width numbers and separators from ASCII text, for the RFC 3339 parser.
private struct DigitScanner {
    private let bytes: [UInt8]
    private var index = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var isAtEnd: Bool { index == bytes.count }

    mutating func number(digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + digits] {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        index += digits
        return value
    }

    mutating func fractionDigits() -> Double? {
        var value = 0.0
        var scale = 0.1
        let start = index
        while index < bytes.count, (48...57).contains(bytes[index]) {
            value += Double(bytes[index] - 48) * scale
            scale /= 10
            index += 1
        }
        return index > start ? value : nil
    }

    mutating func skip(_ character: Character) -> Bool {
        guard index < bytes.count, let ascii = character.asciiValue, bytes[index] == ascii else { return false }
        index += 1
        return true
    }

    mutating func sign() -> Int? {
        if skip("+") { return 1 }
        if skip("-") { return -1 }
        return nil
    }
}
