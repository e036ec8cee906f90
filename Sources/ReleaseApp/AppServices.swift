import ReleaseCore
import ReleaseIO

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// What every front end (the CLI, the dashboard) works with: the resolved settings and the
/// effects behind ReleaseIO's protocols. Tests build it from the fakes of `ReleaseTesting`.
public struct AppServices: Sendable {
    public var settings: Settings
    public var tree: any DeployTreeReading
    public var health: any HealthSource
    public var scripts: any ScriptRunning
    public var clock: any WallClock
    /// The absolute directory of deploy_local.sh and rollback.sh.
    public var scriptsDirectory: String
    /// True when a script exists there and is executable (checked before asking to confirm).
    public var isExecutable: @Sendable (String) -> Bool

    public init(
        settings: Settings, tree: any DeployTreeReading, health: any HealthSource, scripts: any ScriptRunning,
        clock: any WallClock, scriptsDirectory: String,
        isExecutable: @escaping @Sendable (String) -> Bool = { FileManager.default.isExecutableFile(atPath: $0) }
    ) {
        self.settings = settings
        self.tree = tree
        self.health = health
        self.scripts = scripts
        self.clock = clock
        self.scriptsDirectory = scriptsDirectory
        self.isExecutable = isExecutable
    }

    /// The real deploy directory, Prometheus over libcurl and scripts run with swift-subprocess.
    public static func live(settings: Settings, clock: any WallClock, scriptsDirectory: String) -> AppServices {
        AppServices(
            settings: settings, tree: DeployDirectory(path: settings.deployDir),
            health: PrometheusHealthSource(
                client: PrometheusClient(baseURL: settings.prometheusURL, transport: CurlTransport())),
            scripts: SubprocessScriptRunner(), clock: clock, scriptsDirectory: absolute(scriptsDirectory))
    }

    /// The scripts directory: `flag`, then `RELDASH_SCRIPTS_DIR`, then `./scripts`.
    public static func scriptsDirectory(flag: String?, environment: [String: String]) -> String {
        flag ?? environment["RELDASH_SCRIPTS_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "scripts"
    }

    /// The clock: fixed by `RELDASH_NOW` (reproducible output in tests and docs), else the system's.
    public static func clock(environment: [String: String]) throws(AppFailure) -> any WallClock {
        guard let fixed = environment["RELDASH_NOW"], !fixed.isEmpty else { return SystemClock() }
        guard let time = Timestamp(rfc3339: fixed) else {
            throw .usage("RELDASH_NOW='\(fixed)' is not an RFC 3339 time such as 2026-11-24T18:15:00Z")
        }
        return FixedClock(time)
    }

    /// `path` made absolute against the working directory (scripts get it as `DEPLOY_DIR`).
    public static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        let base = FileManager.default.currentDirectoryPath
        return path == "." ? base : base + "/" + path
    }
}
