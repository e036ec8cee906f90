import Testing

@testable import TasksDomain

@Suite("Page requests and opaque cursors")
struct PaginationTests {
    @Test func defaultsToTwentyFromTheStart() throws {
        #expect(try PageRequest.parse(limit: nil, cursor: nil) == PageRequest(limit: 20, after: nil))
    }

    @Test(arguments: ["0", "101", "-1", "abc", "1e2", "", "20.0", "0020"])
    func limitOutOfRangeOrNotAnIntegerIsRefused(limit: String) {
        #expect(throws: PageRequestError.invalidLimit(limit)) { try PageRequest.parse(limit: limit, cursor: nil) }
    }

    @Test(arguments: ["1", "100"])
    func limitBoundsAreAccepted(limit: String) throws {
        #expect(try PageRequest.parse(limit: limit, cursor: nil).limit == Int(limit))
    }

    @Test func cursorRoundTrips() throws {
        for position: Int64 in [0, 1, 42, Int64.max] {
            let token = PageCursor(position: position).token
            #expect(try PageRequest.parse(limit: nil, cursor: token).after == PageCursor(position: position))
            #expect(token.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        }
    }

    @Test(arguments: [
        "", "abc", "djE6", "djE6LTE", "djI6NQ", "djE6NWE", "djE6NQ==", "djE6NQ+/", "'; DROP TABLE tasks; --",
        String(repeating: "A", count: 65), "djE6OTk5OTk5OTk5OTk5OTk5OTk5OTk5",
    ])
    func garbageCursorsAreRefused(cursor: String) {
        #expect(throws: PageRequestError.invalidCursor) { try PageRequest.parse(limit: nil, cursor: cursor) }
    }
}

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test func printsWhatItParsed() {
        #expect(CalendarDate(iso8601: "0001-01-01")?.description == "0001-01-01")
        #expect(CalendarDate(iso8601: "2000-02-29")?.description == "2000-02-29")
    }

    @Test(arguments: ["1900-02-29", "2026-1-01", "2026-01-1", "+2026-01-01", "2026/01/01", "２０２６-01-01", ""])
    func refusesWhatIsNotAStrictDate(text: String) {
        #expect(CalendarDate(iso8601: text) == nil)
    }
}
