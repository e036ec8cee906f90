/// The whole configuration of the service, read once from the environment at start-up (12-factor).
///
/// Variable names are part of the deployment contract (see docs/api.md); every invalid or missing value is
/// reported by ``load(from:readFile:)`` in one ``ConfigError``.
public struct AppConfig: Sendable {
    public var environment: DeploymentEnvironment
    public var http: HTTPSettings
    public var database: DatabaseSettings
    public var logging: LogSettings
    public var build: BuildInfo
    public var features: FeatureFlags
    /// Share of `/api/` requests answered with a 500 on purpose (alert drills); 0 disables it.
    public var fault5xxRate: Double
    public var shutdown: ShutdownSettings
    /// Longest `/readyz` waits for the database before answering 503: probes want a quick answer, shorter than the
    /// time a request may wait (`DATABASE_QUERY_TIMEOUT`).
    public var readinessTimeout: Duration

    public init(
        environment: DeploymentEnvironment,
        http: HTTPSettings,
        database: DatabaseSettings,
        logging: LogSettings,
        build: BuildInfo,
        features: FeatureFlags,
        fault5xxRate: Double,
        shutdown: ShutdownSettings,
        readinessTimeout: Duration = .seconds(2)
    ) {
        self.environment = environment
        self.http = http
        self.database = database
        self.logging = logging
        self.build = build
        self.features = features
        self.fault5xxRate = fault5xxRate
        self.shutdown = shutdown
        self.readinessTimeout = readinessTimeout
    }

    /// Reads and validates every variable; `readFile` reads `DATABASE_PASSWORD_FILE` (injected for tests).
    public static func load(
        from environment: [String: String],
        readFile: (String) throws -> String = SecretFile.read
    ) throws(ConfigError) -> AppConfig {
        var reader = EnvironmentReader(environment)
        let appEnvironment = reader.choice("APP_ENV", default: DeploymentEnvironment.dev)
        let http = HTTPSettings.read(&reader)
        let database = DatabaseSettings.read(&reader, readFile: readFile)
        let logging = LogSettings.read(&reader)
        let build = BuildInfo.read(&reader)
        let features = FeatureFlags.read(&reader)
        let fault = reader.number("FAULT_5XX_RATE", default: 0, range: 0...1)
        if fault > 0 && appEnvironment == .prod {
            reader.report("FAULT_5XX_RATE=\(fault) is refused when APP_ENV=prod (fault injection is for drills only)")
        }
        let shutdown = ShutdownSettings.read(&reader)
        let readinessTimeout = reader.seconds("READINESS_TIMEOUT", default: 2, range: 0.1...60)
        guard reader.problems.isEmpty else { throw ConfigError(problems: reader.problems) }
        return AppConfig(
            environment: appEnvironment,
            http: http,
            database: database,
            logging: logging,
            build: build,
            features: features,
            fault5xxRate: fault,
            shutdown: shutdown,
            readinessTimeout: readinessTimeout
        )
    }
}

/// Where the service runs; `prod` forbids fault injection.
public enum DeploymentEnvironment: String, Sendable, CaseIterable {
    case dev
    case staging
    case prod
}
