import Foundation
import Testing

@testable import TasksAPI
@testable import TasksDomain

@Suite("JSON written by hand")
struct JSONOutputTests {
    static let id = UUID(uuidString: "3F2B8A8E-0C1D-4F6A-9A57-2B7F1D0E9C44")!

    static func record(title: String = "a", description: String? = nil, dueDate: CalendarDate? = nil) -> TaskRecord {
        TaskRecord(
            id: id, title: title, description: description, done: false, dueDate: dueDate,
            createdAt: "2026-11-24T18:15:00.123456Z", updatedAt: "2026-11-24T18:15:01.000001Z", position: 7)
    }

    static func text(_ value: some JSONWritable) -> String {
        var json = JSONOutput()
        value.write(to: &json)
        return json.text
    }

    @Test func taskHasSortedKeysNullsAndALowercaseID() {
        #expect(
            Self.text(Self.record())
                == #"{"created_at":"2026-11-24T18:15:00.123456Z","description":null,"done":false,"due_date":null,"id":"3f2b8a8e-0c1d-4f6a-9a57-2b7f1d0e9c44","title":"a","updated_at":"2026-11-24T18:15:01.000001Z"}"#
        )
    }

    @Test func awkwardTextRoundTrips() throws {
        let samples = [
            "quote \" backslash \\ slash / </script>", "line\nfeed\r\ttab", "\u{0}\u{1}\u{1F}\u{7F}",
            "é ü 漢字 🧪 👩‍👩‍👧", "\u{2028}\u{2029}", "'; DROP TABLE tasks; --", "",
        ]
        for sample in samples {
            let text = Self.text(
                Self.record(title: sample, description: sample, dueDate: CalendarDate(iso8601: "2026-02-28")))
            #expect(!text.contains("\n") && !text.contains("\u{2028}"), "not one line: \(text)")
            let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            #expect(object["title"] as? String == sample)
            #expect(object["description"] as? String == sample)
            #expect(object["due_date"] as? String == "2026-02-28")
        }
    }

    @Test func pageWritesItsItemsAndCursor() throws {
        let page = TaskPage(
            items: [Self.record(title: "one"), Self.record(title: "two")], nextCursor: PageCursor(position: 7))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(Self.text(page).utf8)) as? [String: Any])
        let items = try #require(object["items"] as? [[String: Any]])
        #expect(items.map { $0["title"] as? String } == ["one", "two"])
        #expect(object["next_cursor"] as? String == PageCursor(position: 7).token)
        #expect(Self.text(TaskPage(items: [], nextCursor: nil)) == #"{"items":[],"next_cursor":null}"#)
    }

    @Test func versionListsEveryKnownFlag() {
        let document = VersionDocument(
            build: BuildInfo(version: "1.0.0", commit: "abc", releaseID: "r1"), environment: .prod,
            features: FeatureFlags())
        #expect(
            Self.text(document)
                == #"{"commit":"abc","environment":"prod","features":{"task_search":false},"release_id":"r1","version":"1.0.0"}"#
        )
    }

    @Test func numbersAndNonFiniteValues() {
        var json = JSONOutput()
        json.beginArray()
        json.int(-12)
        json.double(1.5)
        json.double(.nan)
        json.bool(true)
        json.endArray()
        #expect(json.text == "[-12,1.5,null,true]")
    }
}

@Suite("UUID text")
struct UUIDTextTests {
    @Test func formatsLikeFoundationInLowercase() {
        for _ in 0..<200 {
            let id = UUID()
            #expect(id.lowercasedText == id.uuidString.lowercased())
        }
    }

    @Test func parsesEitherCase() {
        let id = UUID()
        #expect(UUID(text: id.uuidString) == id)
        #expect(UUID(text: id.lowercasedText) == id)
    }

    @Test func refusesAnythingElse() {
        let refused = [
            "", "3f2b8a8e-0c1d-4f6a-9a57-2b7f1d0e9c4", "3f2b8a8e-0c1d-4f6a-9a57-2b7f1d0e9c445",
            "3f2b8a8e0c1d-4f6a-9a57-2b7f1d0e9c44-", "3f2b8a8e-0c1d-4f6a-9a57-2b7f1d0e9c4g",
            "{3f2b8a8e-0c1d-4f6a-9a57-2b7f1d0e9c44}", "3f2b8a8e-0c1d-4f6a-9a57-2b7f1d0e9cé",
            "3f2b8a8e_0c1d_4f6a_9a57_2b7f1d0e9c44",
        ]
        for text in refused {
            #expect(UUID(text: text) == nil, "accepted \(text)")
            #expect(UUID(uuidString: text) == nil, "Foundation accepts \(text): the two parsers disagree")
        }
    }
}
