import ReleaseCore
import Testing

@Suite("Rollback candidate (same rule as scripts/rollback.sh)")
struct RollbackCandidateTests {
    typealias Refusal = RollbackCandidate.Refusal

    static let current = "20261124T181500Z"

    @Test(
        "picks the newest older release that is deployed, not bad, with release.env, same environment",
        arguments: [
            ([("20261124T170000Z", Fixture.Kind.deployed), ("20261124T160000Z", .deployed)], "20261124T170000Z"),
            ([("20261124T170000Z", .bad), ("20261124T160000Z", .deployed)], "20261124T160000Z"),
            ([("20261124T170000Z", .failed), ("20261124T160000Z", .deployed)], "20261124T160000Z"),
            ([("20261124T170000Z", .incomplete), ("20261124T160000Z", .deployed)], "20261124T160000Z"),
            ([("20261124T170000Z", .invalid), ("20261124T160000Z", .deployed)], "20261124T160000Z"),
            ([("20261124T170000Z", .deployedWithoutEnv), ("20261124T160000Z", .deployed)], "20261124T160000Z"),
            ([("20261124T170000Z", .deployedTo("prod")), ("20261124T160000Z", .deployed)], "20261124T160000Z"),
            ([("20261124T190000Z", .deployed), ("20261124T160000Z", .deployed)], "20261124T160000Z"),
        ] as [([(String, Fixture.Kind)], String)])
    func picksCandidate(others: [(String, Fixture.Kind)], expected: String) {
        let records = [Fixture.record(Self.current, .deployed)] + others.map { Fixture.record($0.0, $0.1) }
        #expect(Fixture.catalog(records, current: Self.current).rollbackCandidate == .release(Fixture.id(expected)))
    }

    @Test("refuses when there is no current release")
    func noCurrent() {
        let catalog = Fixture.catalog([Fixture.record("20261124T170000Z", .deployed)], current: nil)
        #expect(catalog.rollbackCandidate == .none(.noCurrentRelease))
    }

    @Test("refuses when the current release's directory is missing")
    func currentMissing() {
        let catalog = Fixture.catalog([Fixture.record("20261124T170000Z", .deployed)], current: Self.current)
        #expect(catalog.rollbackCandidate == .none(.currentMissing(Fixture.id(Self.current))))
    }

    @Test("refuses when no release is older than current")
    func noOlderRelease() {
        let catalog = Fixture.catalog(
            [Fixture.record(Self.current, .deployed), Fixture.record("20261124T190000Z", .deployed)],
            current: Self.current)
        #expect(catalog.rollbackCandidate == .none(.noOlderRelease(Fixture.id(Self.current))))
    }

    @Test("refuses when every older release is bad, failed or incomplete")
    func allOlderUnusable() {
        let catalog = Fixture.catalog(
            [
                Fixture.record(Self.current, .deployed), Fixture.record("20261124T170000Z", .bad),
                Fixture.record("20261124T160000Z", .failed), Fixture.record("20261124T150000Z", .incomplete),
            ], current: Self.current)
        let refusal = catalog.rollbackCandidate
        #expect(refusal == .none(.noDeployedOlderRelease(Fixture.id(Self.current), skipped: 3)))
        if case .none(let why) = refusal {
            #expect(why.description.contains("none of the 3 releases older than \(Self.current)"))
            #expect(why.code == "no_deployed_older_release")
        }
    }

    @Test(
        "checks an explicit --to target",
        arguments: [
            ("20261124T170000Z", Fixture.Kind.deployed, nil),
            ("20261124T190000Z", .deployed, nil),
            ("20261124T170000Z", .bad, "target_not_deployable"),
            ("20261124T170000Z", .failed, "target_not_deployable"),
            ("20261124T170000Z", .incomplete, "target_not_deployable"),
            ("20261124T170000Z", .deployedWithoutEnv, "target_without_release_env"),
            ("20261124T170000Z", .deployedTo("prod"), "other_environment"),
        ] as [(String, Fixture.Kind, String?)])
    func checksExplicitTarget(target: String, kind: Fixture.Kind, refusal: String?) {
        let catalog = Fixture.catalog(
            [Fixture.record(Self.current, .deployed), Fixture.record(target, kind)], current: Self.current)
        switch catalog.checkRollbackTarget(Fixture.id(target)) {
        case .release(let id):
            #expect(refusal == nil)
            #expect(id.rawValue == target)
        case .none(let why):
            #expect(why.code == refusal)
        }
    }

    @Test("refuses --to the current release or an unknown one")
    func explicitTargetCurrentOrUnknown() {
        let catalog = Fixture.catalog([Fixture.record(Self.current, .deployed)], current: Self.current)
        #expect(
            catalog.checkRollbackTarget(Fixture.id(Self.current)) == .none(.targetIsCurrent(Fixture.id(Self.current))))
        #expect(
            catalog.checkRollbackTarget(Fixture.id("20200101T000000Z"))
                == .none(.unknownRelease(Fixture.id("20200101T000000Z"))))
    }
}
