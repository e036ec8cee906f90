import Logging
import NIOConcurrencyHelpers

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes each log event as one line on stdout: a JSON object (`LOG_FORMAT=json`, for containers and log
/// shippers) or `time level message key=value...` (`LOG_FORMAT=text`, for a terminal).
///
/// Fields: `time` (RFC 3339 UTC, milliseconds), `level`, `message`, `logger`, then the metadata (request_id,
/// method, route, status, duration_ms...). Integers and booleans in metadata stay numbers and booleans in JSON.
public struct LogLineHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    let label: String
    let format: LogSettings.Format
    let output: LogOutput

    public init(label: String, format: LogSettings.Format, level: Logger.Level, output: LogOutput = .standardOutput) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.output = output
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let error: Logger.Metadata? = event.error.map { ["error": "\($0)"] }
        let fields = LogLineRenderer.fields(metadata, metadataProvider?.get(), event.metadata, error)
        let time = LogClock.timestamp()
        let message = "\(event.message)"
        let line: String
        switch format {
        case .json:
            line = LogLineRenderer.json(time: time, level: event.level, message: message, label: label, fields: fields)
        case .text:
            line = LogLineRenderer.text(time: time, level: event.level, message: message, fields: fields)
        }
        output.write(line)
    }
}

/// Where log lines go: stdout in the service, a buffer in tests.
public struct LogOutput: Sendable {
    let write: @Sendable (String) -> Void

    public init(write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    private static let lock = NIOLock()

    /// Lines are written whole, under a lock, straight to file descriptor 1 (no buffer to lose in a crash).
    public static let standardOutput = LogOutput { line in
        lock.withLock { StandardStream.output.write(line + "\n") }
    }
}

enum LogClock {
    /// Current time as `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        var text: [UInt8] = []
        text.reserveCapacity(24)
        digits(Int(parts.tm_year) + 1900, 4, &text)
        text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, 2, &text)
        text.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), 2, &text)
        text.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), 2, &text)
        text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), 2, &text)
        text.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), 2, &text)
        text.append(UInt8(ascii: "."))
        digits(Int(now.tv_nsec) / 1_000_000, 3, &text)
        text.append(UInt8(ascii: "Z"))
        return String(decoding: text, as: UTF8.self)
    }

    /// Appends the `width` last decimal digits of `value` (zero-padded).
    private static func digits(_ value: Int, _ width: Int, _ text: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        while divisor > 0 {
            text.append(UInt8(ascii: "0") + UInt8((value / divisor) % 10))
            divisor /= 10
        }
    }
}
