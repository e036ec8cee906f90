import ReleaseCore
import Testing

@Suite("Sparklines and range plans")
struct SparklineTests {
    @Test(
        "quantises values to 8 levels, gaps kept",
        arguments: [
            ([0, 1, 2, 3, 4, 5, 6, 7] as [Double?], [0, 1, 2, 3, 4, 5, 6, 7] as [Int?]),
            ([0, nil, 7], [0, nil, 7]),
            ([10, 10, 10], [7, 7, 7]),
            ([0, 0], [0, 0]),
            ([.nan, 2], [nil, 7]),
            ([nil, nil], [nil, nil]),
            ([], []),
            ([-1, 0, 1], [0, 4, 7]),
        ])
    func quantises(values: [Double?], levels: [Int?]) {
        #expect(Sparkline.levels(values) == levels)
    }

    @Test("scales from zero by default, from the minimum on request")
    func scaling() {
        #expect(Sparkline.levels([5, 6, 7]) == [5, 6, 7])
        #expect(Sparkline.levels([5, 6, 7], fromZero: false) == [0, 4, 7])
        #expect(Sparkline.levels([10, 10, 10], fromZero: false) == [3, 3, 3])
    }

    @Test("draws blocks, or ASCII, with blanks for gaps")
    func renders() {
        #expect(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7, nil]) == "▁▂▃▄▅▆▇█ ")
        #expect(Sparkline.render([0, 1, 2, 3, 4, 5, 6, 7, nil], ascii: true) == "_.-:=+*# ")
    }

    @Test("fits a long series into a width by averaging buckets")
    func fits() {
        #expect(Sparkline.fit([1, 3, 5, 7], width: 2) == [2, 6])
        #expect(Sparkline.fit([1, nil, nil, nil], width: 2) == [1, nil])
        #expect(Sparkline.fit([1, 2], width: 5) == [1, 2])
        #expect(Sparkline.fit(Array(repeating: 1, count: 1_000), width: 7).count == 7)
    }

    @Test(
        "plans range queries that fit the width and Prometheus' 11,000-point limit",
        arguments: [
            (900.0, 60, 16.0, 57), (900.0, 900, 2.0, 451), (3_600.0, 20_000, 1.0, 3_601),
            (86_400.0 * 30, 20_000, 236.0, 10_984), (60.0, 1, 60.0, 2), (10.0, 60, 1.0, 11),
        ])
    func plansRanges(range: Double, width: Int, step: Double, points: Int) {
        let plan = QueryRangePlan(range: range, width: width, now: Timestamp(seconds: 1_795_544_107.6))
        #expect(plan.step == step)
        #expect(plan.pointCount == points)
        #expect(plan.pointCount <= QueryRangePlan.maximumPoints)
        #expect(plan.pointCount <= max(2, width))
        #expect(plan.end.seconds == 1_795_544_107)
        #expect(plan.end.seconds - plan.start.seconds == Double(plan.pointCount - 1) * step)
    }

    @Test("places samples on the plan's grid, gaps where none came and for NaN")
    func placesSamplesOnGrid() {
        let plan = QueryRangePlan(range: 40, width: 5, now: Timestamp(seconds: 1_000))
        #expect(plan.start.seconds == 960)
        #expect(plan.step == 10)
        let series = HealthSeries(
            samples: [(960, 1), (980, .nan), (990.4, 4), (2_000, 9), (500, 9)], plan: plan)
        #expect(series.values == [1, nil, nil, 4, nil])
        #expect(series.latest == HealthSeries.Point(time: Timestamp(seconds: 990), value: 4))
    }
}
