import HTTPTypes
import Hummingbird

/// `/healthz`, `/readyz`, `/metrics` and `/version`: what probes, Prometheus and the deploy script read.
struct OpsRoutes: Sendable {
    let readiness: ReadinessCheck
    let exposition: MetricsExposition
    let version: VersionDocument

    func register(on router: Router<AppRequestContext>, catalog: inout RouteCatalog) {
        router.get("/healthz") { _, _ in JSONBody.response(AliveBody()) }
        router.get("/readyz") { _, _ in await self.ready() }
        router.get("/metrics") { _, _ in self.metrics() }
        router.get("/version") { _, _ in JSONBody.response(self.version) }
        for path in ["/healthz", "/readyz", "/metrics", "/version"] {
            catalog.add(.get, path)
        }
    }

    private func ready() async -> Response {
        let verdict = await readiness.evaluate()
        guard verdict.ready else {
            let body = NotReadyBody(
                status: "not_ready",
                reason: verdict.code,
                error: .init(code: verdict.code, message: verdict.message)
            )
            return JSONBody.response(body, status: .serviceUnavailable, headers: [.retryAfter: "5"])
        }
        return JSONBody.response(ReadyBody(status: "ready", schemaVersion: verdict.schemaVersion ?? 0))
    }

    private func metrics() -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(string: exposition.render()))
        )
    }
}

/// `{"status":"ok"}`: the answer of `/healthz`.
struct AliveBody: JSONWritable {
    func write(to json: inout JSONOutput) {
        json.beginObject()
        json.key("status")
        json.string("ok")
        json.endObject()
    }
}

struct ReadyBody: JSONWritable {
    let status: String
    let schemaVersion: Int

    func write(to json: inout JSONOutput) {
        json.beginObject()
        json.key("schema_version")
        json.int(schemaVersion)
        json.key("status")
        json.string(status)
        json.endObject()
    }
}

struct NotReadyBody: JSONWritable {
    let status: String
    let reason: String
    let error: ErrorEnvelope.Detail

    func write(to json: inout JSONOutput) {
        json.beginObject()
        json.key("error")
        error.write(to: &json)
        json.key("reason")
        json.string(reason)
        json.key("status")
        json.string(status)
        json.endObject()
    }
}

/// The body of `/version`: which build and release is running, and its feature flags.
public struct VersionDocument: Sendable, Equatable, JSONWritable {
    public let version: String
    public let commit: String
    public let releaseID: String
    public let environment: String
    public let features: [String: Bool]

    public init(build: BuildInfo, environment: DeploymentEnvironment, features: FeatureFlags) {
        self.version = build.version
        self.commit = build.commit
        self.releaseID = build.releaseID
        self.environment = environment.rawValue
        self.features = features.values
    }

    func write(to json: inout JSONOutput) {
        json.beginObject()
        json.key("commit")
        json.string(commit)
        json.key("environment")
        json.string(environment)
        json.key("features")
        json.beginObject()
        for (name, enabled) in features.sorted(by: { $0.key < $1.key }) {
            json.key(escaping: name)
            json.bool(enabled)
        }
        json.endObject()
        json.key("release_id")
        json.string(releaseID)
        json.key("version")
        json.string(version)
        json.endObject()
    }
}
