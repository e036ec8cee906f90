import Foundation
import Testing

@testable import TasksDomain

@Suite("Validation of task fields: one failing case per rule")
struct ValidationTests {
    private func body(_ json: String) throws -> JSONValue {
        try JSONDecoder().decode(JSONValue.self, from: Data(json.utf8))
    }

    private func createProblems(_ json: String) throws -> [FieldProblem] {
        do {
            _ = try NewTask.validate(try body(json))
            return []
        } catch let error as ValidationError {
            return error.problems
        }
    }

    private func patchProblems(_ json: String) throws -> [FieldProblem] {
        do {
            _ = try TaskPatch.validate(try body(json))
            return []
        } catch let error as ValidationError {
            return error.problems
        }
    }

    @Test func validTaskWithEveryField() throws {
        let task = try NewTask.validate(
            try body(#"{"title":"  Write report  ","description":"two\nlines","done":true,"due_date":"2024-02-29"}"#)
        )
        #expect(
            task
                == NewTask(
                    title: "Write report", description: "two\nlines", done: true,
                    dueDate: CalendarDate(iso8601: "2024-02-29")))
    }

    @Test func titleIsRequired() throws {
        #expect(try createProblems(#"{"done":true}"#).map(\.field) == ["title"])
    }

    @Test func titleMustBeAString() throws {
        #expect(try createProblems(#"{"title":42}"#).first?.message == "must be a string, got number")
    }

    @Test func titleMustNotBeEmpty() throws {
        #expect(try createProblems(#"{"title":""}"#).map(\.field) == ["title"])
    }

    @Test func titleMustNotBeOnlyWhiteSpace() throws {
        #expect(try createProblems(#"{"title":" \t\u00a0\u3000 "}"#).map(\.field) == ["title"])
    }

    @Test func titleOfTwoHundredCharactersAfterTrimmingIsAccepted() throws {
        let title = String(repeating: "é", count: 200)
        #expect(try createProblems(#"{"title":"   \#(title)   "}"#).isEmpty)
    }

    @Test func titleLongerThanTwoHundredCharactersIsRefused() throws {
        let title = String(repeating: "a", count: 201)
        #expect(
            try createProblems(#"{"title":"\#(title)"}"#).first?.message == "must be at most 200 characters, got 201")
    }

    @Test func titleLengthCountsCodePointsLikePostgreSQL() throws {
        // 100 family emoji: 100 graphemes but 7 code points each.
        let family = String(repeating: "👨‍👩‍👧‍👦", count: 100)
        #expect(try createProblems(#"{"title":"\#(family)"}"#).first?.field == "title")
        #expect(try createProblems(#"{"title":"\#(String(repeating: "😀", count: 200))"}"#).isEmpty)
    }

    @Test func titleMustNotContainControlCharacters() throws {
        #expect(try createProblems(#"{"title":"a\u0000b"}"#).first?.message == "must not contain control characters")
        #expect(try createProblems(#"{"title":"a\nb"}"#).first?.field == "title")
    }

    @Test func descriptionMustBeAStringOrNull() throws {
        #expect(try createProblems(#"{"title":"t","description":["x"]}"#).map(\.field) == ["description"])
        #expect(try createProblems(#"{"title":"t","description":null}"#).isEmpty)
    }

    @Test func descriptionLongerThanTwoThousandCharactersIsRefused() throws {
        let text = String(repeating: "x", count: 2001)
        #expect(
            try createProblems(#"{"title":"t","description":"\#(text)"}"#).first?.message
                == "must be at most 2000 characters, got 2001")
        #expect(try createProblems(#"{"title":"t","description":"\#(String(text.dropLast()))"}"#).isEmpty)
    }

    @Test func descriptionRefusesNulButKeepsTabsAndNewlines() throws {
        #expect(try createProblems(#"{"title":"t","description":"a\u0000"}"#).map(\.field) == ["description"])
        #expect(try createProblems(#"{"title":"t","description":"a\tb\r\nc"}"#).isEmpty)
    }

    @Test func doneMustBeABoolean() throws {
        #expect(try createProblems(#"{"title":"t","done":"true"}"#).first?.message == "must be a boolean, got string")
        #expect(try createProblems(#"{"title":"t","done":1}"#).first?.message == "must be a boolean, got number")
    }

    @Test func dueDateMustBeISO8601() throws {
        #expect(try createProblems(#"{"title":"t","due_date":"31/12/2026"}"#).map(\.field) == ["due_date"])
        #expect(try createProblems(#"{"title":"t","due_date":"2026-12-31T10:00:00Z"}"#).map(\.field) == ["due_date"])
    }

    @Test func dueDateMustBeARealDay() throws {
        #expect(try createProblems(#"{"title":"t","due_date":"2026-02-30"}"#).map(\.field) == ["due_date"])
        #expect(try createProblems(#"{"title":"t","due_date":"2025-02-29"}"#).map(\.field) == ["due_date"])
        #expect(try createProblems(#"{"title":"t","due_date":"2026-13-01"}"#).map(\.field) == ["due_date"])
        #expect(try createProblems(#"{"title":"t","due_date":"0000-01-01"}"#).map(\.field) == ["due_date"])
    }

    @Test func dueDateMustBeAStringOrNull() throws {
        #expect(try createProblems(#"{"title":"t","due_date":20261231}"#).map(\.field) == ["due_date"])
        #expect(try createProblems(#"{"title":"t","due_date":null}"#).isEmpty)
    }

    @Test func unknownFieldsAreRefused() throws {
        #expect(try createProblems(#"{"title":"t","id":"x","priority":1}"#).map(\.field) == ["id", "priority"])
    }

    @Test func bodyMustBeAnObject() throws {
        #expect(try createProblems(#"["title"]"#).map(\.field) == ["body"])
        #expect(try patchProblems(#""title""#).map(\.field) == ["body"])
    }

    @Test func everyProblemIsReportedTogether() throws {
        let fields = try createProblems(#"{"title":"","done":"no","due_date":"x","extra":1}"#).map(\.field)
        #expect(Set(fields) == ["title", "done", "due_date", "extra"])
    }

    @Test func sqlLookingStringsAreJustText() throws {
        let task = try NewTask.validate(try body(#"{"title":"'); DROP TABLE tasks; --","description":"1' OR '1'='1"}"#))
        #expect(task.title == "'); DROP TABLE tasks; --")
    }

    @Test func patchNeedsAtLeastOneField() throws {
        #expect(try patchProblems("{}").map(\.field) == ["body"])
    }

    @Test func patchValidatesLikeCreate() throws {
        #expect(try patchProblems(#"{"title":"   "}"#).map(\.field) == ["title"])
        #expect(try patchProblems(#"{"title":null}"#).map(\.field) == ["title"])
        #expect(try patchProblems(#"{"done":null}"#).map(\.field) == ["done"])
        #expect(try patchProblems(#"{"due_date":"2026-04-31"}"#).map(\.field) == ["due_date"])
        #expect(try patchProblems(#"{"created_at":"2026-01-01T00:00:00Z"}"#).map(\.field) == ["created_at"])
    }

    @Test func patchDistinguishesClearingFromLeavingAlone() throws {
        let patch = try TaskPatch.validate(try body(#"{"description":null,"done":false}"#))
        #expect(patch.description == .some(nil))
        #expect(patch.dueDate == nil)
        #expect(patch.title == nil)
        #expect(patch.done == false)
    }
}
