/// Runs `operation` and gives up after `limit`, cancelling it (a connection wait ends at once; a running query is
/// also bounded by the server-side `statement_timeout` set on every connection).
func withDeadline<Result: Sendable>(
    _ limit: Duration,
    _ operation: @escaping @Sendable () async throws -> Result
) async throws(StoreError) -> Result {
    do {
        return try await withThrowingTaskGroup(of: Result.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: limit)
                throw StoreError.timedOut(limit)
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    } catch {
        throw StoreError.classify(error)
    }
}
