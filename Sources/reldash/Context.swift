import Foundation
import ReleaseCore
import ReleaseIO

/// Everything a command needs, resolved once from flags, environment and config file (flags win,
/// then environment, then the file, then defaults).
struct Context {
    let settings: Settings
    let json: Bool
    let style: TextStyle
    let terminal: Terminal
    let clock: any WallClock
    let environment: [String: String]

    static func make(_ options: GlobalOptions) throws(CommandFailure) -> Context {
        let environment = ProcessInfo.processInfo.environment
        let settings = try resolveSettings(options, environment: environment)
        let terminal = Terminal.current(environment: environment)
        let noColor = options.noColor || environment["NO_COLOR"].map { !$0.isEmpty } == true
        let style = TextStyle(color: terminal.stdoutIsTerminal && !noColor, ascii: !terminal.utf8)
        var clock: any WallClock = SystemClock()
        if let fixed = environment["RELDASH_NOW"], !fixed.isEmpty {
            guard let time = Timestamp(rfc3339: fixed) else {
                throw CommandFailure(
                    code: "usage",
                    message: "RELDASH_NOW='\(fixed)' is not an RFC 3339 time such as 2026-11-24T18:15:00Z",
                    status: .usage)
            }
            clock = FixedClock(time)
        }
        return Context(
            settings: settings, json: options.json, style: style, terminal: terminal, clock: clock,
            environment: environment)
    }

    private static func resolveSettings(_ options: GlobalOptions, environment: [String: String]) throws(CommandFailure)
        -> Settings
    {
        var settings = Settings()
        do {
            if let file = options.config ?? environment["RELDASH_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
                guard let data = FileManager.default.contents(atPath: file) else {
                    throw CommandFailure(
                        code: "config_unreadable", message: "config file \(file) cannot be read", status: .usage)
                }
                try settings.apply(configFile: String(decoding: data, as: UTF8.self), name: file)
            }
            let fromEnvironment: [(String, String?)] = [
                ("deploy_dir", environment["DEPLOY_DIR"]), ("deploy_dir", environment["RELDASH_DEPLOY_DIR"]),
                ("prometheus_url", environment["RELDASH_PROMETHEUS_URL"]), ("timeout", environment["RELDASH_TIMEOUT"]),
            ]
            for case (let key, let value?) in fromEnvironment where !value.isEmpty {
                try settings.apply(key: key, value: value)
            }
            let fromFlags: [(String, String?)] = [
                ("deploy_dir", options.deployDir), ("prometheus_url", options.prometheusURL),
                ("timeout", options.timeout), ("job", options.job),
            ]
            for case (let key, let value?) in fromFlags {
                try settings.apply(key: key, value: value)
            }
            for assignment in options.query {
                guard let equals = assignment.firstIndex(of: "=") else {
                    throw CommandFailure(
                        code: "usage", message: "--query needs NAME=PROMQL, got '\(assignment)'", status: .usage)
                }
                try settings.apply(
                    key: "query." + assignment[..<equals], value: String(assignment[assignment.index(after: equals)...])
                )
            }
        } catch let error as SettingsError {
            throw CommandFailure(code: "usage", message: error.description, status: .usage)
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(code: "usage", message: "\(error)", status: .usage)
        }
        return settings
    }

    /// The deploy directory of the settings.
    var deployTree: DeployDirectory {
        DeployDirectory(path: settings.deployDir)
    }

    /// Reads what `scope` needs of the deploy directory; a missing one is a precondition failure
    /// (exit 3).
    func readSnapshot(_ scope: CatalogScope) throws(CommandFailure) -> DeploySnapshot {
        do {
            return try deployTree.snapshot(scope: scope)
        } catch .missing(let path) {
            throw CommandFailure(
                code: "deploy_dir_missing", message: DeployReadError.missing(path).description, status: .precondition)
        } catch .notADirectory(let path) {
            throw CommandFailure(
                code: "deploy_dir_not_directory", message: DeployReadError.notADirectory(path).description,
                status: .precondition)
        } catch {
            throw CommandFailure(code: "deploy_dir_unreadable", message: error.description, status: .failure)
        }
    }

    /// Health from the configured Prometheus.
    var healthSource: PrometheusHealthSource {
        PrometheusHealthSource(
            client: PrometheusClient(baseURL: settings.prometheusURL, transport: URLSessionTransport()))
    }

    /// Sparkline width for text views: what is left of the terminal after the labels.
    var sparkWidth: Int {
        min(120, max(10, terminal.columns - 32))
    }
}
