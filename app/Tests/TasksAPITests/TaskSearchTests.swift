import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TasksAPI

/// The feature behind the flag `task_search`: `GET /api/v1/tasks?q=` filters on the title only when the flag is on.
@Suite("Task search (flag task_search)")
struct TaskSearchTests {
    private func app(search: Bool) -> TestApp {
        var app = TestApp()
        app.config.features = FeatureFlags([.taskSearch: search])
        return app
    }

    private func titles(_ client: any TestClientProtocol, _ uri: String) async throws -> [String] {
        let json = try await client.execute(uri: uri, method: .get) { try $0.json }
        return (json["items"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
    }

    private func seed(_ client: any TestClientProtocol) async throws {
        for title in ["Buy milk", "Write the RUNBOOK", "Read the runbook again", "Call Ana"] {
            try await client.execute(
                uri: "/api/v1/tasks", method: .post, headers: jsonHeaders, body: .json(#"{"title":"\#(title)"}"#))
        }
    }

    @Test func flagOnFiltersTitlesIgnoringCase() async throws {
        try await app(search: true).run { client in
            try await seed(client)
            let found = try await titles(client, "/api/v1/tasks?q=runbook")
            #expect(found == ["Write the RUNBOOK", "Read the runbook again"])
            #expect(try await titles(client, "/api/v1/tasks?q=nothing").isEmpty)
        }
    }

    @Test func flagOnPagesThroughTheMatchesOnly() async throws {
        try await app(search: true).run { client in
            try await seed(client)
            let first = try await client.execute(uri: "/api/v1/tasks?q=U&limit=2", method: .get) { try $0.json }
            let cursor = try #require(first["next_cursor"] as? String)
            let second = try await titles(client, "/api/v1/tasks?q=U&limit=2&cursor=\(cursor)")
            #expect(second == ["Read the runbook again"])
        }
    }

    @Test func flagOffIgnoresTheParameter() async throws {
        try await app(search: false).run { client in
            try await seed(client)
            #expect(try await titles(client, "/api/v1/tasks?q=runbook").count == 4)
        }
    }

    @Test func flagOnRefusesATooLongText() async throws {
        try await app(search: true).run { client in
            let long = String(repeating: "a", count: 101)
            try await client.execute(uri: "/api/v1/tasks?q=\(long)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.errorCode == "invalid_query")
            }
        }
    }

    @Test func metricShowsTheFlagState() async throws {
        for state in [true, false] {
            try await app(search: state).run { client in
                let text = try await client.execute(uri: "/metrics", method: .get) { $0.text }
                #expect(text.contains(#"app_feature_enabled{flag="task_search"} \#(state ? 1 : 0)"#))
            }
        }
    }
}
