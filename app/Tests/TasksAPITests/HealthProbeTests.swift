import Hummingbird
import HummingbirdTesting
import Testing

@testable import TasksAPI

@Suite("healthcheck probe")
struct HealthProbeTests {
    @Test func succeedsAgainstALiveServer() async throws {
        try await TestApp().makeApplication().test(.live) { client in
            let port = try #require(client.port)
            try await HealthProbe(port: port).check()
        }
    }

    @Test func failsWhenNothingListens() async throws {
        await #expect(throws: HealthProbe.Failure.self) {
            try await HealthProbe(port: 1, timeout: .seconds(2)).check()
        }
    }

    @Test func failsOnANon200Answer() async throws {
        try await TestApp(store: UnavailableStore()).makeApplication().test(.live) { client in
            let port = try #require(client.port)
            do {
                try await HealthProbe(port: port, path: "/readyz").check()
                Issue.record("a 503 was taken as healthy")
            } catch HealthProbe.Failure.unhealthy(let status) {
                #expect(status == 503)
            }
        }
    }
}
