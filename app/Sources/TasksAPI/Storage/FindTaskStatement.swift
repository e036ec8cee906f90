import PostgresNIO
import TasksDomain

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The point read, as a prepared statement: parsed and planned once per connection, not once per request.
struct FindTaskStatement: PostgresPreparedStatement {
    static let sql = "SELECT \(TaskRow.columns) FROM tasks WHERE id = $1"
    typealias Row = TaskRecord

    var id: UUID

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 1)
        bindings.append(id)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> TaskRecord {
        try TaskRow.decode(row)
    }
}
