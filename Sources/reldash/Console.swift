import Foundation
import ReleaseCore
import Synchronization

/// Writes to stdout and stderr, unbuffered per call (lines from a script must appear as they come;
/// one lock so lines from the two pipes never interleave mid-line).
enum Console {
    private static let lock = Mutex(())

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
        lock.withLock { _ in try? handle.write(contentsOf: Data(text.utf8)) }
    }
}
