import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus
import TasksAPI

/// Builds the real responder around test doubles and drives it in-process.
struct TestApp {
    var store: any TaskStore = InMemoryTaskStore()
    var schema: (any SchemaVersionSource)?
    var shutdown = ShutdownFlag()
    var registry = PrometheusCollectorRegistry()
    var faults = FaultInjector(rate: 0)
    var config = TestApp.config()

    static func config(maxBodyBytes: Int = 4096) -> AppConfig {
        AppConfig(
            environment: .staging,
            http: HTTPSettings(host: "127.0.0.1", port: 0, maxBodyBytes: maxBodyBytes),
            database: DatabaseSettings(host: "db", name: "tasks", user: "tasks", password: "not-used"),
            logging: LogSettings(level: .critical, format: .json),
            build: BuildInfo(version: "1.2.3", commit: "0123abc", releaseID: "20261124T181500Z"),
            features: FeatureFlags([.taskSearch: true]),
            fault5xxRate: 0,
            shutdown: ShutdownSettings()
        )
    }

    func makeApplication() -> some ApplicationProtocol {
        let parts = ServiceParts(
            store: store,
            schema: schema ?? (store as! any SchemaVersionSource),
            shutdown: shutdown,
            registry: registry,
            faults: faults
        )
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        return Application(
            responder: ServiceResponder.make(config: config, parts: parts),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            logger: logger
        )
    }

    func run<Value: Sendable>(_ test: @Sendable (any TestClientProtocol) async throws -> Value) async throws -> Value {
        try await makeApplication().test(.router) { client in try await test(client) }
    }
}

extension TestResponse {
    /// The body parsed as a JSON object (fails the test if it is not one).
    var json: [String: Any] {
        get throws {
            let data = Data(body.readableBytesView)
            guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw TestFailure("body is not a JSON object: \(String(decoding: data, as: UTF8.self))")
            }
            return object
        }
    }

    var text: String { String(buffer: body) }

    /// The body as a JSON object, empty when it is not one (for use inside `#expect`).
    var object: [String: Any] { (try? json) ?? [:] }

    /// The `error.code` of an error body.
    var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension ByteBuffer {
    static func json(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }
}

let jsonHeaders: HTTPFields = [.contentType: "application/json"]

let requestIDHeader = HTTPField.Name("X-Request-ID")!
