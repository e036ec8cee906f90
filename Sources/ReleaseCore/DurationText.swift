/// Short human durations for text output: `42s`, `5m 02s`, `3h 04m`, `2d 05h`.
public enum DurationText {
    /// Formats a non-negative number of seconds with its two most significant units; negative
    /// values (a clock behind the data) are shown as `0s`.
    public static func format(seconds: Double) -> String {
        guard seconds.isFinite, seconds > 0 else { return "0s" }
        let total = Int64(seconds.rounded(.down))
        let days = total / 86_400
        let hours = total % 86_400 / 3_600
        let minutes = total % 3_600 / 60
        let secs = total % 60
        if days > 0 { return "\(days)d \(twoDigits(hours))h" }
        if hours > 0 { return "\(hours)h \(twoDigits(minutes))m" }
        if minutes > 0 { return "\(minutes)m \(twoDigits(secs))s" }
        return "\(secs)s"
    }

    /// Parses `90s`, `15m`, `2h`, `1d`, `1h30m` or a bare number of seconds; nil when malformed or
    /// not positive.
    public static func parse(_ text: String) -> Double? {
        if let plain = Double(text) { return plain > 0 && plain.isFinite ? plain : nil }
        var total = 0.0
        var number = ""
        var sawUnit = false
        for character in text {
            if character.isASCII, character.isNumber || character == "." {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            switch character {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3_600
            case "d": total += value * 86_400
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit, total > 0 else { return nil }
        return total
    }

    private static func twoDigits(_ value: Int64) -> String {
        value < 10 ? "0\(value)" : "\(value)"
    }
}
