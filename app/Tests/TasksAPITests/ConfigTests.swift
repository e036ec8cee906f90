import Testing

@testable import TasksAPI

@Suite("Configuration from the environment")
struct ConfigTests {
    static let minimal = [
        "DATABASE_HOST": "db", "DATABASE_NAME": "tasks", "DATABASE_USER": "tasks", "DATABASE_PASSWORD": "secret",
    ]

    private func load(_ overrides: [String: String], readFile: (String) throws -> String = { _ in "" })
        throws(ConfigError)
        -> AppConfig
    {
        try AppConfig.load(from: Self.minimal.merging(overrides) { _, new in new }, readFile: readFile)
    }

    private func problems(_ environment: [String: String]) -> [String] {
        do {
            _ = try AppConfig.load(from: environment, readFile: { _ in throw SecretFile.Failure.unreadable(path: "x") })
            return []
        } catch {
            return error.problems
        }
    }

    @Test func defaultsApplyWhenOnlyTheDatabaseIsGiven() throws {
        let config = try load([:])
        #expect(config.environment == .dev)
        #expect(config.http.host == "0.0.0.0")
        #expect(config.http.port == 8080)
        #expect(config.http.maxBodyBytes == 65_536)
        #expect(config.database.port == 5432)
        #expect(config.database.poolSize == 10)
        #expect(config.database.tls == .prefer)
        #expect(config.database.queryTimeout == .seconds(5))
        #expect(config.logging.level == .info)
        #expect(config.logging.format == .json)
        #expect(config.build == BuildInfo(version: "0.0.0-dev", commit: "unknown", releaseID: "unreleased"))
        #expect(config.fault5xxRate == 0)
        #expect(config.shutdown.gracePeriod == .seconds(8))
        #expect(config.shutdown.drainDelay == .zero)
        #expect(config.readinessTimeout == .seconds(2))
    }

    @Test func everyProblemIsListedAtOnce() {
        let found = problems([
            "APP_ENV": "production", "HTTP_PORT": "0", "DATABASE_PORT": "x", "LOG_LEVEL": "loud", "LOG_FORMAT": "xml",
            "FAULT_5XX_RATE": "1.5", "DATABASE_POOL_SIZE": "0", "SHUTDOWN_GRACE_PERIOD": "-1",
            "READINESS_TIMEOUT": "0",
        ])
        let variables = [
            "APP_ENV", "HTTP_PORT", "DATABASE_HOST", "DATABASE_PORT", "DATABASE_NAME", "DATABASE_USER",
            "DATABASE_PASSWORD", "LOG_LEVEL", "LOG_FORMAT", "FAULT_5XX_RATE", "DATABASE_POOL_SIZE",
            "SHUTDOWN_GRACE_PERIOD", "READINESS_TIMEOUT",
        ]
        for variable in variables {
            #expect(found.contains { $0.contains(variable) }, "no problem names \(variable): \(found)")
        }
        #expect(found.count == variables.count)
    }

    @Test func passwordFileWinsOverPassword() throws {
        let config = try load(["DATABASE_PASSWORD_FILE": "/run/secrets/db"]) { path in
            #expect(path == "/run/secrets/db")
            return "from-file\n"
        }
        #expect(config.database.password == "from-file")
    }

    @Test func passwordFileThatCannotBeReadIsAProblem() {
        let found = problems(Self.minimal.merging(["DATABASE_PASSWORD_FILE": "/missing"]) { _, new in new })
        #expect(found.count == 1)
        #expect(found.first?.contains("DATABASE_PASSWORD_FILE=/missing cannot be read") == true)
    }

    @Test func emptyPasswordFileIsAProblem() {
        #expect(throws: ConfigError.self) { try load(["DATABASE_PASSWORD_FILE": "/empty"]) { _ in "\n" } }
    }

    @Test func passwordIsRequired() {
        var environment = Self.minimal
        environment["DATABASE_PASSWORD"] = nil
        #expect(
            problems(environment) == ["DATABASE_PASSWORD_FILE or DATABASE_PASSWORD is required (the database password)"]
        )
    }

    @Test func problemsNeverQuoteThePassword() {
        let found = problems(Self.minimal.merging(["HTTP_PORT": "abc"]) { _, new in new })
        #expect(!found.joined().contains("secret"))
        #expect(!ConfigError(problems: found).description.contains("secret"))
    }

    @Test func faultInjectionIsRefusedInProd() {
        let found = problems(Self.minimal.merging(["APP_ENV": "prod", "FAULT_5XX_RATE": "0.2"]) { _, new in new })
        #expect(found == ["FAULT_5XX_RATE=0.2 is refused when APP_ENV=prod (fault injection is for drills only)"])
    }

    @Test func faultInjectionIsAllowedOutsideProd() throws {
        #expect(try load(["APP_ENV": "staging", "FAULT_5XX_RATE": "0.25"]).fault5xxRate == 0.25)
        #expect(try load(["APP_ENV": "prod", "FAULT_5XX_RATE": "0"]).fault5xxRate == 0)
    }

    @Test func featureFlagsTakeTheirDefaultsWhenUnset() throws {
        let config = try load([:])
        #expect(config.features.values == ["task_search": false])
        #expect(!config.features.isEnabled(.taskSearch))
    }

    @Test(arguments: [("true", true), ("on", true), ("1", true), ("false", false), ("OFF", false), ("0", false)])
    func featureFlagAcceptsBooleanWords(word: String, state: Bool) throws {
        #expect(try load(["FEATURE_TASK_SEARCH": word]).features.isEnabled(.taskSearch) == state)
    }

    @Test func unknownFeatureFlagIsAProblemListingTheKnownOnes() {
        let found = problems(Self.minimal.merging(["FEATURE_DARK_MODE": "true"]) { _, new in new })
        #expect(found == ["FEATURE_DARK_MODE is not a feature flag of this build; known flags: FEATURE_TASK_SEARCH"])
    }

    @Test func featureFlagThatIsNotABooleanIsAProblem() {
        let found = problems(Self.minimal.merging(["FEATURE_TASK_SEARCH": "maybe"]) { _, new in new })
        #expect(found == [#"FEATURE_TASK_SEARCH="maybe" must be one of true|false|1|0|yes|no|on|off"#])
    }

    @Test func durationsAcceptDecimalSeconds() throws {
        let config = try load([
            "DATABASE_QUERY_TIMEOUT": "0.25", "SHUTDOWN_DRAIN_DELAY": "2", "READINESS_TIMEOUT": "0.5",
        ])
        #expect(config.database.queryTimeout == .milliseconds(250))
        #expect(config.shutdown.drainDelay == .seconds(2))
        #expect(config.readinessTimeout == .milliseconds(500))
    }

    @Test func readinessTimeoutOutsideItsRangeIsAProblem() {
        for value in ["0.05", "61", "soon"] {
            let found = problems(Self.minimal.merging(["READINESS_TIMEOUT": value]) { _, new in new })
            #expect(found == ["READINESS_TIMEOUT=\"\(value)\" must be a number in 0.1...60"])
        }
    }

    @Test func emptyValuesCountAsUnset() throws {
        let config = try load(["HTTP_PORT": "", "LOG_FORMAT": ""])
        #expect(config.http.port == 8080)
        #expect(config.logging.format == .json)
    }

    @Test func healthcheckNeedsOnlyTheHTTPVariables() throws {
        #expect(try HTTPSettings.load(from: ["HTTP_PORT": "9000"]).port == 9000)
        #expect(throws: ConfigError.self) { try HTTPSettings.load(from: ["HTTP_PORT": "http"]) }
    }

    @Test func databaseDescriptionHidesThePassword() throws {
        #expect(!"\(try load([:]).database)".contains("secret"))
    }
}
