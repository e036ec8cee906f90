/// Quantises a series into 8 levels and draws it as block characters (`▁▂▃▄▅▆▇█`), or as ASCII
/// (`_.-:=+*#`) where the terminal cannot show them. Missing points (gaps, NaN) are blanks.
public enum Sparkline {
    public static let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    public static let ascii: [Character] = ["_", ".", "-", ":", "=", "+", "*", "#"]

    /// The level (0...7) of each value, nil for a gap. The scale runs from `lower` (default: the
    /// smallest value, or 0 when every value is positive and `fromZero` is set) to the largest
    /// value; a flat series (nothing to scale) sits on level 0 when it is zero, else on level 3.
    public static func levels(_ values: [Double?], fromZero: Bool = true) -> [Int?] {
        let finite = values.compactMap { $0 }.filter(\.isFinite)
        guard let smallest = finite.min(), let largest = finite.max() else {
            return values.map { _ in nil }
        }
        let lower = fromZero ? min(0, smallest) : smallest
        let span = largest - lower
        return values.map { value in
            guard let value, value.isFinite else { return nil }
            guard span > 0 else { return value == 0 ? 0 : 3 }
            let scaled = (value - lower) / span * 7
            return min(7, max(0, Int(scaled.rounded())))
        }
    }

    /// The sparkline text, one character per value.
    public static func render(_ values: [Double?], ascii useASCII: Bool = false, fromZero: Bool = true) -> String {
        let glyphs = useASCII ? ascii : blocks
        return String(levels(values, fromZero: fromZero).map { $0.map { glyphs[$0] } ?? " " })
    }

    /// Reduces a series to `width` values by averaging neighbours (gaps ignored; a bucket of gaps
    /// stays a gap). Series already narrow enough are returned unchanged.
    public static func fit(_ values: [Double?], width: Int) -> [Double?] {
        guard width > 0, values.count > width else { return values }
        return (0..<width).map { bucket in
            let start = bucket * values.count / width
            let end = max(start + 1, (bucket + 1) * values.count / width)
            let present = values[start..<end].compactMap { $0 }.filter(\.isFinite)
            guard !present.isEmpty else { return nil }
            return present.reduce(0, +) / Double(present.count)
        }
    }
}
