import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import TasksAPI

@Suite("Health, readiness, version")
struct OpsRoutesTests {
    @Test func healthzIsAlwaysOK() async throws {
        let app = TestApp(store: UnavailableStore())
        try await app.run { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.object["status"] as? String == "ok")
            }
        }
    }

    @Test func readyWhenSchemaIsAtTheRequiredVersion() async throws {
        try await TestApp().run { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.object["schema_version"] as? Int == SchemaMigrations.latestVersion)
            }
        }
    }

    @Test func notReadyWhenTheDatabaseIsDown() async throws {
        try await TestApp(store: UnavailableStore()).run { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.object["reason"] as? String == "database_unavailable")
                #expect(response.errorCode == "database_unavailable")
            }
        }
    }

    @Test func notReadyWithinReadinessTimeoutWhenTheDatabaseNeverAnswers() async throws {
        var app = TestApp(schema: UnresponsiveSchema())
        app.config.readinessTimeout = .milliseconds(300)
        let started = ContinuousClock.now
        try await app.run { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.object["reason"] as? String == "database_unavailable")
                let error = response.object["error"] as? [String: Any]
                #expect(error?["message"] as? String == "the database did not answer within 0.3 s")
            }
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func notReadyWhenTheSchemaIsBehind() async throws {
        let store = InMemoryTaskStore()
        await store.setVersion(0)
        try await TestApp(store: store).run { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.object["reason"] as? String == "schema_outdated")
            }
        }
    }

    @Test func readyWhenTheSchemaIsAhead() async throws {
        let store = InMemoryTaskStore()
        await store.setVersion(SchemaMigrations.latestVersion + 3)
        try await TestApp(store: store).run { client in
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func notReadyOnceShutdownStartedButStillAlive() async throws {
        let app = TestApp()
        app.shutdown.markShuttingDown()
        try await app.run { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.object["reason"] as? String == "shutting_down")
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func versionReportsBuildReleaseEnvironmentAndFeatures() async throws {
        try await TestApp().run { client in
            try await client.execute(uri: "/version", method: .get) { response in
                let json = try response.json
                #expect(json["version"] as? String == "1.2.3")
                #expect(json["commit"] as? String == "0123abc")
                #expect(json["release_id"] as? String == "20261124T181500Z")
                #expect(json["environment"] as? String == "staging")
                #expect(json["features"] as? [String: Bool] == ["task_search": true])
            }
        }
    }
}
