import ReleaseCore
import ReleaseTesting
import Testing

@Suite("JSON parser and writer")
struct JSONTests {
    @Test(
        "parses every kind of value",
        arguments: [
            ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)), ("42", .integer(42)),
            ("-7", .integer(-7)), ("0.5", .number(0.5)), ("1e3", .number(1_000)), ("\"a\\\"b\"", .string("a\"b")),
            ("\"\\u00e9\\ud83d\\ude00\"", .string("é😀")),
            ("[1, \"x\", null]", .array([.integer(1), .string("x"), .null])),
            ("{\"a\": {\"b\": []}}", .object([("a", .object([("b", .array([]))]))])), ("  7  ", .integer(7)),
            ("\"tab\\there\"", .string("tab\there")), ("\"héllo\"", .string("héllo")),
        ])
    func parsesValues(text: String, expected: JSONValue) throws {
        #expect(try JSONParser.parse(text) == expected)
    }

    @Test(
        "reports where a document is broken",
        arguments: [
            ("{\"a\": 1,}", 1, 9, "expected a quoted member name"), ("{\"a\" 1}", 1, 6, "expected ':'"),
            ("[1 2]", 1, 4, "expected ',' or ']'"), ("{\n  \"a\": tru\n}", 2, 8, "unexpected character"),
            ("\"open", 1, 6, "unterminated string"), ("01", 1, 2, "leading zeros"),
            ("{} {}", 1, 4, "unexpected text after"),
            ("", 1, 1, "unexpected end of input"), ("\"a\u{01}\"", 1, 3, "control character"),
            ("\"\\x\"", 1, 3, "invalid escape"), ("\"\\ud800\"", 1, 8, "unpaired UTF-16 surrogate"),
        ])
    func reportsSyntaxErrors(text: String, line: Int, column: Int, reason: String) {
        #expect {
            try JSONParser.parse(text)
        } throws: { error in
            guard let syntax = error as? JSONParser.SyntaxError else { return false }
            return syntax.line == line && syntax.column == column && syntax.reason.contains(reason)
        }
    }

    @Test("refuses nesting deeper than 512 levels instead of overflowing the stack")
    func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 600) + String(repeating: "]", count: 600)
        #expect(throws: JSONParser.SyntaxError.self) { try JSONParser.parse(deep) }
    }

    @Test("writes sorted keys, two-space indent and a trailing newline")
    func writesPretty() {
        let value = JSONValue.object([
            ("b", .array([.integer(1), .null])), ("a", .string("x")), ("c", .object([])), ("d", .array([])),
        ])
        #expect(
            JSONWriter.pretty(value)
                == "{\n  \"a\": \"x\",\n  \"b\": [\n    1,\n    null\n  ],\n  \"c\": {},\n  \"d\": []\n}\n")
    }

    @Test(
        "escapes strings and writes numbers without noise",
        arguments: [
            (JSONValue.string("a\"b\\c\nd\u{01}"), "\"a\\\"b\\\\c\\nd\\u0001\""), (.number(41_000), "41000"),
            (.number(0.25), "0.25"), (.number(.nan), "null"), (.number(.infinity), "null"), (.integer(-3), "-3"),
            (.string("é"), "\"é\""),
        ])
    func writesScalars(value: JSONValue, text: String) {
        #expect(JSONWriter.compact(value) == text)
    }

    @Test("keeps the last value of a repeated key, like lookups do")
    func repeatedKeys() throws {
        let value = try JSONParser.parse("{\"a\": 1, \"a\": 2}")
        #expect(value["a"] == .integer(2))
        #expect(JSONWriter.compact(value) == "{\"a\":2}")
    }

    @Test("round-trips a manifest document")
    func roundTrips() throws {
        let document = try JSONParser.parse(Fixture.manifestJSON(id: "20261124T181500Z"))
        #expect(try JSONParser.parse(JSONWriter.pretty(document)) == document)
        #expect(try JSONParser.parse(JSONWriter.compact(document)) == document)
    }
}
