import ReleaseCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes to stdout and stderr, unbuffered per call (lines from a script must appear as they come;
/// one lock so lines from the two pipes never interleave mid-line).
enum Console {
    private static let lock = Mutex(())

    static func out(_ text: String) {
        emit(text, to: STDOUT_FILENO)
    }

    static func err(_ text: String) {
        emit(text, to: STDERR_FILENO)
    }

    /// A `--json` document on stdout.
    static func json(_ value: JSONValue) {
        out(JSONWriter.pretty(value))
    }

    /// Writes every byte (a short write or EINTR goes on); a closed pipe drops the rest.
    private static func emit(_ text: String, to descriptor: Int32) {
        let bytes = Array(text.utf8)
        lock.withLock { _ in
            bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return
                    }
                }
            }
        }
    }
}
