import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TasksAPI

@Suite("Tasks API over HTTP (in-process, store double)")
struct TaskRoutesTests {
    @Test func createReturns201WithLocationAndTheStoredTask() async throws {
        let store = InMemoryTaskStore()
        try await TestApp(store: store).run { client in
            try await client.execute(
                uri: "/api/v1/tasks",
                method: .post,
                headers: jsonHeaders,
                body: .json(#"{"title":"  Buy milk ","due_date":"2026-12-31"}"#)
            ) { response in
                #expect(response.status == .created)
                let json = try response.json
                let id = try #require(json["id"] as? String)
                #expect(response.headers[.location] == "/api/v1/tasks/\(id)")
                #expect(json["title"] as? String == "Buy milk")
                #expect(json["done"] as? Bool == false)
                #expect(json["due_date"] as? String == "2026-12-31")
                #expect(json["description"] is NSNull)
                #expect(
                    Set(json.keys) == ["id", "title", "description", "done", "due_date", "created_at", "updated_at"])
            }
        }
        #expect(await store.count == 1)
    }

    @Test func getPatchDeleteLifecycle() async throws {
        try await TestApp().run { client in
            let id = try await client.execute(
                uri: "/api/v1/tasks",
                method: .post,
                headers: jsonHeaders,
                body: .json(#"{"title":"a","description":"d"}"#)
            ) { try $0.json["id"] as! String }
            try await client.execute(uri: "/api/v1/tasks/\(id)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.object["description"] as? String == "d")
            }
            try await client.execute(
                uri: "/api/v1/tasks/\(id)",
                method: .patch,
                headers: jsonHeaders,
                body: .json(#"{"done":true,"description":null}"#)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.object["done"] as? Bool == true)
                #expect(response.object["description"] is NSNull)
                #expect(response.object["title"] as? String == "a")
            }
            try await client.execute(uri: "/api/v1/tasks/\(id)", method: .delete) { response in
                #expect(response.status == .noContent)
                #expect(response.body.readableBytes == 0)
            }
            try await client.execute(uri: "/api/v1/tasks/\(id)", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "not_found")
            }
            try await client.execute(uri: "/api/v1/tasks/\(id)", method: .delete) { response in
                #expect(response.status == .notFound)
            }
        }
    }

    @Test func listPagesWithAnOpaqueCursor() async throws {
        try await TestApp().run { client in
            for index in 1...5 {
                try await client.execute(
                    uri: "/api/v1/tasks",
                    method: .post,
                    headers: jsonHeaders,
                    body: .json(#"{"title":"task \#(index)"}"#)
                )
            }
            var titles: [String] = []
            var uri = "/api/v1/tasks?limit=2"
            var pages = 0
            while true {
                let json = try await client.execute(uri: uri, method: .get) { try $0.json }
                pages += 1
                titles += (json["items"] as! [[String: Any]]).map { $0["title"] as! String }
                guard let cursor = json["next_cursor"] as? String else { break }
                uri = "/api/v1/tasks?limit=2&cursor=\(cursor)"
            }
            #expect(titles == (1...5).map { "task \($0)" })
            #expect(pages == 3)
        }
    }

    @Test(arguments: [
        ("/api/v1/tasks?limit=0", "invalid_limit"),
        ("/api/v1/tasks?limit=abc", "invalid_limit"),
        ("/api/v1/tasks?cursor=bm90LWEtY3Vyc29y", "invalid_cursor"),
        ("/api/v1/tasks/not-a-uuid", "invalid_id"),
        ("/api/v1/tasks/00000000-0000-0000-0000-00000000000g", "invalid_id"),
    ])
    func badParametersGet400(uri: String, code: String) async throws {
        try await TestApp().run { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.errorCode == code)
                #expect((response.object["error"] as? [String: Any])?["message"] is String)
            }
        }
    }

    @Test(arguments: [
        (#"{"title":"x""#, 400, "malformed_json"),
        ("", 400, "malformed_json"),
        (#"{"title":"\ud800"}"#, 400, "malformed_json"),
        (#"{"title":"x"} trailing"#, 400, "malformed_json"),
        (#"{"title":5}"#, 422, "validation_failed"),
        (#"{"title":"x","unknown":true}"#, 422, "validation_failed"),
        (#"[]"#, 422, "validation_failed"),
        ("null", 422, "validation_failed"),
    ])
    func badBodiesGet4xxAndChangeNothing(body: String, status: Int, code: String) async throws {
        let store = InMemoryTaskStore()
        try await TestApp(store: store).run { client in
            try await client.execute(uri: "/api/v1/tasks", method: .post, headers: jsonHeaders, body: .json(body)) {
                response in
                #expect(Int(response.status.code) == status)
                #expect(response.errorCode == code)
            }
        }
        #expect(await store.writes == 0)
    }

    @Test func wrongContentTypeGets415() async throws {
        let store = InMemoryTaskStore()
        try await TestApp(store: store).run { client in
            try await client.execute(
                uri: "/api/v1/tasks",
                method: .post,
                headers: [.contentType: "text/plain"],
                body: .json(#"{"title":"x"}"#)
            ) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(response.errorCode == "unsupported_media_type")
            }
        }
        #expect(await store.writes == 0)
    }

    @Test func oversizedBodyGets413() async throws {
        let store = InMemoryTaskStore()
        var app = TestApp(store: store)
        app.config = TestApp.config(maxBodyBytes: 1024)
        let padding = String(repeating: " ", count: 2000)
        try await app.run { client in
            try await client.execute(
                uri: "/api/v1/tasks",
                method: .post,
                headers: jsonHeaders,
                body: .json(#"{"title":"x"\#(padding)}"#)
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.errorCode == "payload_too_large")
            }
        }
        #expect(await store.writes == 0)
    }

    @Test func patchWithInvalidFieldChangesNothing() async throws {
        let store = InMemoryTaskStore()
        try await TestApp(store: store).run { client in
            let id = try await client.execute(
                uri: "/api/v1/tasks",
                method: .post,
                headers: jsonHeaders,
                body: .json(#"{"title":"keep"}"#)
            ) { try $0.json["id"] as! String }
            try await client.execute(
                uri: "/api/v1/tasks/\(id)",
                method: .patch,
                headers: jsonHeaders,
                body: .json(#"{"title":"new","done":"yes"}"#)
            ) { response in
                #expect(response.status == .unprocessableContent)
                #expect(response.errorCode == "validation_failed")
            }
            try await client.execute(uri: "/api/v1/tasks/\(id)", method: .get) { response in
                #expect(response.object["title"] as? String == "keep")
            }
        }
        #expect(await store.writes == 1)
    }

    @Test func unknownRouteGets404InTheErrorFormat() async throws {
        try await TestApp().run { client in
            try await client.execute(uri: "/api/v2/things", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.errorCode == "route_not_found")
            }
        }
    }

    @Test func wrongMethodGets405WithAllow() async throws {
        try await TestApp().run { client in
            try await client.execute(uri: "/api/v1/tasks", method: .put) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.errorCode == "method_not_allowed")
                #expect(response.headers[.allow] == "POST, GET")
            }
        }
    }

    @Test func databaseOutageGives503WithRetryAfter() async throws {
        try await TestApp(store: UnavailableStore()).run { client in
            try await client.execute(uri: "/api/v1/tasks", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.errorCode == "database_unavailable")
                #expect(response.headers[.retryAfter] == "5")
            }
            try await client.execute(
                uri: "/api/v1/tasks",
                method: .post,
                headers: jsonHeaders,
                body: .json(#"{"title":"x"}"#)
            ) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.errorCode == "database_unavailable")
            }
        }
    }

    @Test func requestIDIsEchoedOrGenerated() async throws {
        try await TestApp().run { client in
            try await client.execute(uri: "/healthz", method: .get, headers: [requestIDHeader: "abc-123"]) {
                #expect($0.headers[requestIDHeader] == "abc-123")
            }
            try await client.execute(uri: "/healthz", method: .get, headers: [requestIDHeader: "bad id\u{7f}"]) {
                let generated = try #require($0.headers[requestIDHeader])
                #expect(UUID(uuidString: generated) != nil)
            }
            try await client.execute(uri: "/api/nothing", method: .get) {
                #expect($0.headers[requestIDHeader] != nil)
            }
        }
    }
}
