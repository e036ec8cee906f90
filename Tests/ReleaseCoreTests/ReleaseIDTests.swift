import ReleaseCore
import ReleaseTesting
import Testing

@Suite("ReleaseID and time")
struct ReleaseIDTests {
    @Test(
        "accepts only YYYYMMDDTHHMMSSZ with a plausible date",
        arguments: [
            ("20261124T181500Z", true), ("20261124T181500", false), ("20261124181500Z", false),
            ("2026-11-24T18:15:00Z", false), ("20261324T181500Z", false), ("20261100T181500Z", false),
            ("20261124T241500Z", false), ("20261124T186000Z", false), ("2026112AT181500Z", false), ("", false),
            ("20261124t181500Z", false), ("20261124T181500Z ", false),
        ])
    func wellFormedIDs(text: String, valid: Bool) {
        #expect((ReleaseID(text) != nil) == valid)
    }

    @Test("orders releases by the time in their id")
    func ordering() {
        let ids = ["20261124T181500Z", "20251231T235959Z", "20261124T181459Z", "20270101T000000Z"].map(Fixture.id)
        #expect(
            ids.sorted().map(\.rawValue) == [
                "20251231T235959Z", "20261124T181459Z", "20261124T181500Z", "20270101T000000Z",
            ])
    }

    @Test(
        "converts the id to epoch seconds",
        arguments: [
            ("19700101T000000Z", Int64(0)), ("20000229T120000Z", Int64(951_825_600)),
            ("20261124T181500Z", Int64(1_795_544_100)),
        ])
    func epochSeconds(text: String, seconds: Int64) {
        #expect(Fixture.id(text).epochSeconds == seconds)
    }

    @Test(
        "parses RFC 3339 times",
        arguments: [
            ("2026-11-24T18:15:00Z", 1_795_544_100.0), ("2026-11-24T18:15:00.250Z", 1_795_544_100.25),
            ("2026-11-24T19:15:00+01:00", 1_795_544_100.0), ("2026-11-24T16:15:00-02:00", 1_795_544_100.0),
            ("1970-01-01T00:00:00Z", 0.0),
        ])
    func parsesRFC3339(text: String, seconds: Double) {
        #expect(Timestamp(rfc3339: text)?.seconds == seconds)
    }

    @Test(
        "rejects what is not RFC 3339",
        arguments: [
            "2026-11-24", "2026-11-24T18:15:00", "2026-13-24T18:15:00Z", "yesterday", "2026-11-24T18:15:00Zx", "",
        ])
    func rejectsNonRFC3339(text: String) {
        #expect(Timestamp(rfc3339: text) == nil)
    }

    @Test("formats times as UTC RFC 3339 and round-trips")
    func formatsRFC3339() {
        for text in ["2026-11-24T18:15:00Z", "1970-01-01T00:00:00Z", "2000-02-29T23:59:59Z", "1969-12-31T23:59:59Z"] {
            #expect(Timestamp(rfc3339: text)?.rfc3339 == text)
        }
    }

    @Test(
        "formats durations with two units",
        arguments: [
            (0.0, "0s"), (-5.0, "0s"), (42.9, "42s"), (62.0, "1m 02s"), (3_725.0, "1h 02m"), (90_061.0, "1d 01h"),
            (Double.nan, "0s"),
        ])
    func formatsDurations(seconds: Double, text: String) {
        #expect(DurationText.format(seconds: seconds) == text)
    }

    @Test(
        "parses durations",
        arguments: [
            ("15m", 900.0), ("90s", 90.0), ("2h", 7_200.0), ("1d", 86_400.0), ("1h30m", 5_400.0), ("2.5", 2.5),
            ("0.5s", 0.5),
        ])
    func parsesDurations(text: String, seconds: Double) {
        #expect(DurationText.parse(text) == seconds)
    }

    @Test("rejects malformed or non-positive durations", arguments: ["", "m", "15x", "-3", "0", "0s", "15m3", "abc"])
    func rejectsDurations(text: String) {
        #expect(DurationText.parse(text) == nil)
    }
}
