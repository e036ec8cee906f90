import Testing

/// This target must never pass silently without a database: the unit stage checks that it fails when
/// `TEST_DATABASE_*` is missing, and this test makes that failure explicit and readable.
@Suite("Database test environment")
struct EnvironmentGuardTests {
    @Test func databaseIsConfigured() throws {
        _ = try TestDatabase.settings()
    }
}
