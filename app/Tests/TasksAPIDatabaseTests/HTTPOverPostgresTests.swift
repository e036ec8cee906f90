import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import Testing

@testable import TasksAPI

@Suite("HTTP API over a real PostgreSQL")
struct HTTPOverPostgresTests {
    private static func application(store: PostgresTaskStore) -> some ApplicationProtocol {
        let config = AppConfig(
            environment: .dev,
            http: HTTPSettings(maxBodyBytes: 8192),
            database: DatabaseSettings(host: "unused", name: "unused", user: "unused", password: "unused"),
            logging: LogSettings(level: .critical, format: .json),
            build: BuildInfo(),
            features: FeatureFlags(),
            fault5xxRate: 0,
            shutdown: ShutdownSettings()
        )
        let parts = ServiceParts(store: store, schema: store, faults: FaultInjector(rate: 0))
        return Application(responder: ServiceResponder.make(config: config, parts: parts), logger: TestDatabase.logger)
    }

    @Test func badRequestsGet4xxAndChangeNothing() async throws {
        try await TestDatabase.withStore { store, client in
            try await Self.application(store: store).test(.router) { http in
                let id =
                    try await http.execute(
                        uri: "/api/v1/tasks",
                        method: .post,
                        headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: #"{"title":"original","description":"d"}"#)
                    ) { response in
                        #expect(response.status == .created)
                        return try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                    }["id"] as! String
                let bad: [(String, HTTPRequest.Method, String)] = [
                    ("/api/v1/tasks", .post, #"{"title":"#),
                    ("/api/v1/tasks", .post, #"{"title":"x","sql":"'; DELETE FROM tasks; --"}"#),
                    ("/api/v1/tasks", .post, #"{"title":"\#(String(repeating: "z", count: 201))"}"#),
                    ("/api/v1/tasks", .post, #"{"title":"x","due_date":"2026-02-30"}"#),
                    ("/api/v1/tasks", .post, #"{"title":"x","description":"\#(String(repeating: " ", count: 9000))"}"#),
                    ("/api/v1/tasks/\(id)", .patch, #"{"title":"changed","done":"true"}"#),
                    ("/api/v1/tasks/\(id)", .patch, #"{}"#),
                    ("/api/v1/tasks/\(id)'--", .patch, #"{"title":"changed"}"#),
                    ("/api/v1/tasks/\(id)'--", .delete, ""),
                ]
                for (uri, method, body) in bad {
                    try await http.execute(
                        uri: uri,
                        method: method,
                        headers: [.contentType: "application/json"],
                        body: ByteBuffer(string: body)
                    ) { response in
                        #expect((400..<500).contains(Int(response.status.code)), "\(method) \(uri): \(response.status)")
                    }
                }
                try await http.execute(uri: "/api/v1/tasks/\(id)", method: .get) { response in
                    let json = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as! [String: Any]
                    #expect(json["title"] as? String == "original")
                    #expect(json["done"] as? Bool == false)
                }
            }
            #expect(try await TestDatabase.count(client) == 1)
        }
    }

    @Test func readinessFollowsTheSchemaVersion() async throws {
        try await TestDatabase.withSchema { client, _, _ in
            let store = PostgresTaskStore(client: client, queryTimeout: .seconds(5), logger: TestDatabase.logger)
            try await Self.application(store: store).test(.router) { http in
                try await http.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
                _ = try await Migrator(client: client, logger: TestDatabase.logger).migrate()
                try await http.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            }
        }
    }
}
