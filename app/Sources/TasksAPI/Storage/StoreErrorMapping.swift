import PostgresNIO

extension StoreError {
    /// SQLSTATE classes and codes that mean "try again later" rather than "this request is wrong".
    private static let transientStates: Set<String> = [
        "57P01",  // admin_shutdown
        "57P02",  // crash_shutdown
        "57P03",  // cannot_connect_now (starting up)
        "53300",  // too_many_connections
        "42P01",  // undefined_table: the schema is not migrated yet
        "25006",  // read_only_sql_transaction (standby)
    ]

    /// Classifies any error thrown by PostgresNIO; the message never contains bound values.
    static func classify(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if error is PostgresDecodingError {
            return .failed("a row did not have the expected columns; is the schema newer than this build?")
        }
        if error is CancellationError { return .unavailable("the request was cancelled") }
        guard let error = error as? PSQLError else {
            // Pool errors (circuit breaker, shutdown) and socket errors: the database is out of reach.
            return .unavailable(String(describing: type(of: error)))
        }
        guard error.code == .server, let state = error.serverInfo?[.sqlState] else {
            return .unavailable(Self.clientSideReason(error))
        }
        let message = error.serverInfo?[.message] ?? "no message"
        if state.hasPrefix("08") || transientStates.contains(state) {
            return .unavailable("\(message) (SQLSTATE \(state))")
        }
        return .failed("\(message) (SQLSTATE \(state))")
    }

    private static func clientSideReason(_ error: PSQLError) -> String {
        switch error.code {
        case .connectionError: return "cannot connect"
        case .serverClosedConnection: return "the server closed the connection"
        case .clientClosedConnection: return "the connection was closed"
        case .poolClosed: return "the connection pool is closed"
        case .uncleanShutdown: return "the connection ended abruptly"
        case .queryCancelled: return "the query was cancelled"
        default: return "client error \(error.code)"
        }
    }
}
