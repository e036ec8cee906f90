/// A metric over time on a regular grid (one slot per step), with gaps where Prometheus had no
/// sample or the value was NaN.
public struct HealthSeries: Equatable, Sendable {
    public struct Point: Equatable, Sendable {
        public var time: Timestamp
        /// nil for a gap: no sample at this step, or a value that is not a number.
        public var value: Double?

        public init(time: Timestamp, value: Double?) {
            self.time = time
            self.value = value
        }
    }

    public var points: [Point]

    public init(points: [Point]) {
        self.points = points
    }

    /// Places samples on the grid `plan` describes; samples off the grid go to the nearest slot,
    /// non-finite values become gaps.
    public init(samples: [(time: Double, value: Double)], plan: QueryRangePlan) {
        var slots: [Double?] = Array(repeating: nil, count: plan.pointCount)
        for sample in samples {
            let offset = (sample.time - plan.start.seconds) / plan.step
            let slot = Int(offset.rounded())
            guard slot >= 0, slot < slots.count else { continue }
            slots[slot] = sample.value.isFinite ? sample.value : nil
        }
        points = slots.enumerated().map { index, value in
            Point(time: plan.start.adding(Double(index) * plan.step), value: value)
        }
    }

    /// The last point that has a value.
    public var latest: Point? {
        points.last(where: { $0.value != nil })
    }

    /// The values in time order (nil for gaps), for sparklines.
    public var values: [Double?] {
        points.map(\.value)
    }
}

/// The grid of a `query_range` call: `pointCount` steps ending at `end`, so the series fits the
/// width asked and stays within what Prometheus accepts per series (it refuses a range over
/// 11,000 steps; reldash never asks for more than 11,000 points).
public struct QueryRangePlan: Equatable, Sendable {
    /// Prometheus refuses a range query that would return more points than this per series.
    public static let maximumPoints = 11_000

    public let start: Timestamp
    public let end: Timestamp
    /// Seconds between points (whole seconds, at least 1).
    public let step: Double
    public let pointCount: Int

    /// A grid covering `range` seconds up to `now` (whole seconds) in at most `width` points
    /// (clamped to 2...11,000), the step a whole number of seconds. The grid ends at `now` itself,
    /// not at a step boundary before it, so the latest point sees the latest scrape.
    public init(range: Double, width: Int, now: Timestamp) {
        let points = min(QueryRangePlan.maximumPoints, max(2, width))
        let rawStep = max(1, (max(range, 1) / Double(points - 1)).rounded(.up))
        step = rawStep
        let wholeNow = now.seconds.rounded(.down)
        end = Timestamp(seconds: wholeNow)
        let count = min(points, Int((max(range, 1) / rawStep).rounded(.down)) + 1)
        pointCount = max(2, count)
        start = Timestamp(seconds: wholeNow - Double(pointCount - 1) * rawStep)
    }
}
