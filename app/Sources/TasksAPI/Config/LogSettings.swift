import Logging

/// How logs are written: one JSON object per line (containers) or plain text (terminals).
public struct LogSettings: Sendable {
    /// Line format of the logs on stdout.
    public enum Format: String, Sendable, CaseIterable {
        case json
        case text
    }

    public var level: Logger.Level
    public var format: Format

    public init(level: Logger.Level = .info, format: Format = .json) {
        self.level = level
        self.format = format
    }

    static func read(_ reader: inout EnvironmentReader) -> LogSettings {
        LogSettings(
            level: reader.choice("LOG_LEVEL", default: Logger.Level.info),
            format: reader.choice("LOG_FORMAT", default: Format.json)
        )
    }
}
