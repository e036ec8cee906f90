import Foundation
import ReleaseCore

/// Writes to stdout and stderr, unbuffered per call (lines from a script must appear as they come).
enum Console {
    private static let lock = NSLock()

    static func out(_ text: String) {
        write(text, to: FileHandle.standardOutput)
    }

    static func err(_ text: String) {
        write(text, to: FileHandle.standardError)
    }

    /// A `--json` document on stdout.
    static func json(_ value: JSONValue) {
        out(JSONWriter.pretty(value))
    }

    private static func write(_ text: String, to handle: FileHandle) {
        lock.lock()
        defer { lock.unlock() }
        try? handle.write(contentsOf: Data(text.utf8))
    }
}
