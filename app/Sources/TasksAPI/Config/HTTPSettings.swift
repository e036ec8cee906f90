/// How the HTTP server listens and what it accepts.
public struct HTTPSettings: Sendable {
    /// Address to bind; `0.0.0.0` (the default) suits a container, `127.0.0.1` a developer machine.
    public var host: String
    public var port: Int
    /// Largest request body accepted; larger bodies get a 413.
    public var maxBodyBytes: Int

    public init(host: String = "0.0.0.0", port: Int = 8080, maxBodyBytes: Int = 65_536) {
        self.host = host
        self.port = port
        self.maxBodyBytes = maxBodyBytes
    }

    /// Reads only the HTTP variables: the `healthcheck` subcommand needs nothing else.
    public static func load(from environment: [String: String]) throws(ConfigError) -> HTTPSettings {
        var reader = EnvironmentReader(environment)
        let settings = read(&reader)
        guard reader.problems.isEmpty else { throw ConfigError(problems: reader.problems) }
        return settings
    }

    static func read(_ reader: inout EnvironmentReader) -> HTTPSettings {
        HTTPSettings(
            host: reader.string("HTTP_HOST", default: "0.0.0.0"),
            port: reader.integer("HTTP_PORT", default: 8080, range: 1...65_535),
            maxBodyBytes: reader.integer("HTTP_MAX_BODY_BYTES", default: 65_536, range: 1_024...10_485_760)
        )
    }
}
