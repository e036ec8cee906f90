import PostgresNIO
import TasksDomain

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The columns every task query selects, in the order ``TaskRow/decode(_:)`` reads them. Timestamps are formatted
/// by PostgreSQL so that the API shows exactly what is stored (microseconds, UTC).
enum TaskRow {
    static let columns = """
        id, title, description, done, to_char(due_date, 'YYYY-MM-DD'), \
        to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), \
        to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'), seq
        """

    static func decode(_ row: PostgresRow) throws -> TaskRecord {
        let (id, title, description, done, dueDate, createdAt, updatedAt, position) = try row.decode(
            (UUID, String, String?, Bool, String?, String, String, Int64).self
        )
        return TaskRecord(
            id: id,
            title: title,
            description: description,
            done: done,
            dueDate: dueDate.flatMap(CalendarDate.init(iso8601:)),
            createdAt: createdAt,
            updatedAt: updatedAt,
            position: position
        )
    }
}
