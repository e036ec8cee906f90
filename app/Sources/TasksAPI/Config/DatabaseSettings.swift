/// How to reach PostgreSQL. The password is never printed (see ``description``).
public struct DatabaseSettings: Sendable, CustomStringConvertible {
    /// Transport security towards the database.
    public enum TLSMode: String, Sendable, CaseIterable {
        case disable
        case prefer
        case require
    }

    public var host: String
    public var port: Int
    public var name: String
    public var user: String
    public var password: String
    public var tls: TLSMode
    /// Most connections the pool opens.
    public var poolSize: Int
    public var connectTimeout: Duration
    /// Longest a request waits for the database (connection and query) before answering 503.
    public var queryTimeout: Duration
    /// How long `serve` and `migrate` wait for the database to accept connections at start-up.
    public var startupTimeout: Duration

    public init(
        host: String,
        port: Int = 5432,
        name: String,
        user: String,
        password: String,
        tls: TLSMode = .prefer,
        poolSize: Int = 10,
        connectTimeout: Duration = .seconds(5),
        queryTimeout: Duration = .seconds(5),
        startupTimeout: Duration = .seconds(30)
    ) {
        self.host = host
        self.port = port
        self.name = name
        self.user = user
        self.password = password
        self.tls = tls
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.queryTimeout = queryTimeout
        self.startupTimeout = startupTimeout
    }

    public var description: String {
        "postgres://\(user)@\(host):\(port)/\(name) (tls \(tls.rawValue), pool \(poolSize))"
    }

    static func read(_ reader: inout EnvironmentReader, readFile: (String) throws -> String) -> DatabaseSettings {
        let hint = "e.g. postgres"
        return DatabaseSettings(
            host: reader.requiredString("DATABASE_HOST", hint: "host name or address of PostgreSQL, \(hint)"),
            port: reader.integer("DATABASE_PORT", default: 5432, range: 1...65_535),
            name: reader.requiredString("DATABASE_NAME", hint: "database name, e.g. tasks"),
            user: reader.requiredString("DATABASE_USER", hint: "role the service logs in as, e.g. tasks"),
            password: readPassword(&reader, readFile: readFile),
            tls: reader.choice("DATABASE_TLS", default: TLSMode.prefer),
            poolSize: reader.integer("DATABASE_POOL_SIZE", default: 10, range: 1...200),
            connectTimeout: reader.seconds("DATABASE_CONNECT_TIMEOUT", default: 5, range: 0.1...120),
            queryTimeout: reader.seconds("DATABASE_QUERY_TIMEOUT", default: 5, range: 0.1...300),
            startupTimeout: reader.seconds("DATABASE_STARTUP_TIMEOUT", default: 30, range: 0...600)
        )
    }

    /// `DATABASE_PASSWORD_FILE` (a Docker secret) wins over `DATABASE_PASSWORD`.
    private static func readPassword(
        _ reader: inout EnvironmentReader,
        readFile: (String) throws -> String
    ) -> String {
        if let path = reader.raw("DATABASE_PASSWORD_FILE") {
            do {
                let password = SecretFile.trimmingFinalNewline(try readFile(path))
                if password.isEmpty {
                    reader.report("DATABASE_PASSWORD_FILE=\(path) is empty")
                }
                return password
            } catch {
                reader.report("DATABASE_PASSWORD_FILE=\(path) cannot be read (\(error))")
                return ""
            }
        }
        if let password = reader.raw("DATABASE_PASSWORD") {
            return password
        }
        reader.report("DATABASE_PASSWORD_FILE or DATABASE_PASSWORD is required (the database password)")
        return ""
    }
}
