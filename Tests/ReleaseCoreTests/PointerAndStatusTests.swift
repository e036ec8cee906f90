import ReleaseCore
import Testing

@Suite("Current pointer and derived status")
struct PointerAndStatusTests {
    typealias Reading = CurrentPointer.Reading

    @Test(
        "resolves the current release from the symlink, current.txt, or both",
        arguments: [
            (
                Reading.value("releases/20261124T181500Z"), Reading.absent, "20261124T181500Z",
                CurrentPointer.Source.symlink, 0
            ),
            (.value("./releases/20261124T181500Z/"), .absent, "20261124T181500Z", .symlink, 0),
            (.absent, .value("20261124T181500Z"), "20261124T181500Z", .text, 0),
            (.value("releases/20261124T181500Z"), .value("20261124T181500Z"), "20261124T181500Z", .symlink, 0),
            (.value("releases/20261124T181500Z"), .value("20261124T170000Z"), "20261124T181500Z", .symlink, 1),
            (.unusable("is a directory"), .value("20261124T170000Z"), "20261124T170000Z", .text, 1),
            (.value("../elsewhere/20261124T181500Z"), .absent, nil, .none, 1),
            (.absent, .value("garbage"), nil, .none, 1),
            (.absent, .absent, nil, .none, 0),
        ] as [(Reading, Reading, String?, CurrentPointer.Source, Int)])
    func resolvesPointer(symlink: Reading, text: Reading, id: String?, source: CurrentPointer.Source, problems: Int) {
        let resolution = CurrentPointer(symlink: symlink, text: text).resolution
        #expect(resolution.id?.rawValue == id)
        #expect(resolution.source == source)
        #expect(resolution.problems.count == problems)
    }

    @Test("names both values when symlink and current.txt disagree")
    func disagreementIsExplained() {
        let resolution = CurrentPointer(symlink: .value("releases/20261124T181500Z"), text: .value("20261124T170000Z"))
            .resolution
        #expect(
            resolution.problems.first?.contains("20261124T181500Z disagrees with deploy/current.txt = 20261124T170000Z")
                == true)
    }

    @Test(
        "derives every status from the files",
        arguments: [
            (Fixture.Kind.deployed, false, ReleaseStatus.deployed, nil),
            (.deployed, true, .current, nil),
            (.failed, false, .failed, "deploy failed (health gate: healthy): health gate failed"),
            (.bad, false, .bad, "marked BAD: rolled back from"),
            (.incomplete, false, .incomplete, "no manifest.json: the deploy did not finish"),
            (.invalid, false, .invalid, "manifest.json: required field 'status' is missing"),
            (.bad, true, .current, "current, but marked BAD: rolled back from"),
            (.incomplete, true, .current, "current, but no manifest.json: the deploy did not finish"),
        ] as [(Fixture.Kind, Bool, ReleaseStatus, String?)])
    func derivesStatus(kind: Fixture.Kind, isCurrent: Bool, status: ReleaseStatus, reason: String?) {
        let record = Fixture.record("20261124T181500Z", kind)
        let derived = ReleaseStatus.derive(record, currentID: isCurrent ? record.id : nil)
        #expect(derived.0 == status)
        #expect(derived.1 == reason)
    }

    @Test("flags a manifest that names another release, or an unknown status, as invalid")
    func inconsistentManifestIsInvalid() {
        let other = ReleaseRecord(
            id: Fixture.id("20261124T181500Z"), manifest: .valid(Fixture.manifest(id: "20261124T170000Z")))
        #expect(ReleaseStatus.derive(other, currentID: nil).0 == .invalid)
        #expect(ReleaseStatus.derive(other, currentID: nil).1?.contains("names release 20261124T170000Z") == true)
        let unknown = ReleaseRecord(
            id: Fixture.id("20261124T181500Z"),
            manifest: .valid(Fixture.manifest(id: "20261124T181500Z", status: "rolling")))
        let (status, reason) = ReleaseStatus.derive(unknown, currentID: nil)
        #expect(status == .invalid)
        #expect(reason == "manifest.json has an unknown status 'rolling'")
    }

    @Test("lists releases newest first, whatever the order read")
    func catalogOrdersNewestFirst() {
        let catalog = Fixture.catalog(
            [
                Fixture.record("20261124T170000Z", .deployed), Fixture.record("20261124T181500Z", .deployed),
                Fixture.record("20250101T000000Z", .failed),
            ], current: "20261124T181500Z")
        #expect(catalog.releases.map(\.id.rawValue) == ["20261124T181500Z", "20261124T170000Z", "20250101T000000Z"])
        #expect(catalog.current?.id.rawValue == "20261124T181500Z")
        #expect(catalog.countsByStatus.map(\.1) == [1, 1, 1, 0, 0, 0])
    }

    @Test("reports a pointer to a release directory that is gone")
    func pointerToMissingRelease() {
        let catalog = Fixture.catalog([Fixture.record("20261124T170000Z", .deployed)], current: "20261124T181500Z")
        #expect(catalog.current == nil)
        #expect(catalog.pointerProblems.contains { $0.contains("deploy/releases/20261124T181500Z does not exist") })
    }
}
