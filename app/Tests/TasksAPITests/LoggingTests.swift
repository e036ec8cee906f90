import Foundation
import Logging
import NIOConcurrencyHelpers
import Testing

@testable import TasksAPI

@Suite("Log lines")
struct LoggingTests {
    @Test func jsonLineHasTheFieldsAndTypedValues() throws {
        let line = LogLineRenderer.json(
            time: "2026-11-24T18:15:00.123Z",
            level: .info,
            message: "request",
            label: "tasks-api",
            metadata: [
                "request_id": "abc", "status": .stringConvertible(201), "duration_ms": .stringConvertible(1.5),
                "route": "/api/v1/tasks/{id}",
            ]
        )
        #expect(
            line
                == #"{"time":"2026-11-24T18:15:00.123Z","level":"info","message":"request","logger":"tasks-api","duration_ms":1.5,"request_id":"abc","route":"/api/v1/tasks/{id}","status":201}"#
        )
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(object?["status"] as? Int == 201)
    }

    @Test func controlCharactersStayOnOneLine() throws {
        let line = LogLineRenderer.json(
            time: "t",
            level: .error,
            message: "a\nb\"c\\\u{0}\u{2028}",
            label: "l",
            metadata: ["message": "cannot override"]
        )
        #expect(!line.contains("\n"))
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        #expect(object?["message"] as? String == "a\nb\"c\\\u{0}\u{2028}")
    }

    @Test func handlerWritesOneLinePerEventWithRequestMetadata() throws {
        let lines = NIOLockedValueBox<[String]>([])
        var logger = Logger(label: "t") { label in
            LogLineHandler(
                label: label, format: .json, level: .info,
                output: LogOutput { line in lines.withLockedValue { $0.append(line) } })
        }
        logger[metadataKey: "request_id"] = "r-1"
        logger.debug("hidden")
        logger.info("shown", metadata: ["status": .stringConvertible(200)])
        let written = lines.withLockedValue { $0 }
        #expect(written.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(written[0].utf8)) as? [String: Any])
        #expect(object["request_id"] as? String == "r-1")
        #expect(object["level"] as? String == "info")
        #expect((object["time"] as? String)?.hasSuffix("Z") == true)
    }

    @Test func laterMetadataLayersWinAndKeysAreSorted() {
        let fields = LogLineRenderer.fields(["b": "handler", "a": "handler"], nil, ["b": "event", "c": "event"])
        #expect(fields.map(\.key) == ["a", "b", "c"])
        #expect(fields.map { "\($0.value)" } == ["handler", "event", "event"])
    }

    @Test func textFormatIsReadable() {
        let line = LogLineRenderer.text(time: "T", level: .warning, message: "m", metadata: ["a": "1", "b": "2"])
        #expect(line == "T WARNING m a=1 b=2")
    }
}
