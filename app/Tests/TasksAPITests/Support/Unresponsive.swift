import Foundation
import TasksAPI

/// Waits without ever looking at cancellation, as a query does when the database host drops every packet
/// (PostgresNIO does not interrupt a query already sent).
enum Unresponsive {
    static func wait(seconds: Double) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { continuation.resume() }
        }
    }
}

/// A database that accepted the connection and then went silent.
struct UnresponsiveSchema: SchemaVersionSource {
    func schemaVersion() async throws(StoreError) -> Int {
        await Unresponsive.wait(seconds: 10)
        return 1
    }
}
