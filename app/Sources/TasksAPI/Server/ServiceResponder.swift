import Hummingbird
import Prometheus
import TasksDomain

/// What the HTTP layer needs from the rest of the process; tests pass their own store and flags.
public struct ServiceParts: Sendable {
    public var store: any TaskStore
    public var schema: any SchemaVersionSource
    public var shutdown: ShutdownFlag
    public var registry: PrometheusCollectorRegistry
    public var faults: FaultInjector

    public init(
        store: any TaskStore,
        schema: any SchemaVersionSource,
        shutdown: ShutdownFlag = ShutdownFlag(),
        registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        faults: FaultInjector
    ) {
        self.store = store
        self.schema = schema
        self.shutdown = shutdown
        self.registry = registry
        self.faults = faults
    }
}

/// Builds the HTTP responder of the whole service: the routes wrapped in ``ObservedResponder``.
public enum ServiceResponder {
    public static func make(
        config: AppConfig,
        parts: ServiceParts,
        requiredSchemaVersion: Int = SchemaMigrations.latestVersion
    ) -> some HTTPResponder<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        var catalog = RouteCatalog()
        TaskRoutes(store: parts.store, maxBodyBytes: config.http.maxBodyBytes, features: config.features)
            .register(on: router, catalog: &catalog)
        OpsRoutes(
            readiness: ReadinessCheck(
                shutdown: parts.shutdown,
                schema: parts.schema,
                requiredVersion: requiredSchemaVersion,
                timeout: config.readinessTimeout
            ),
            exposition: MetricsExposition(registry: parts.registry, build: config.build, features: config.features),
            version: VersionDocument(build: config.build, environment: config.environment, features: config.features)
        ).register(on: router, catalog: &catalog)
        return ObservedResponder(
            inner: router.buildResponder(),
            catalog: catalog,
            metrics: HTTPMetrics(registry: parts.registry),
            faults: parts.faults
        )
    }
}
