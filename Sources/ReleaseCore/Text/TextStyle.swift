/// How text output is decorated: ANSI colours (off with --no-color, NO_COLOR, or when stdout is not
/// a terminal) and block or ASCII sparklines (ASCII when the locale is not UTF-8).
public struct TextStyle: Equatable, Sendable {
    public var color: Bool
    public var ascii: Bool

    public init(color: Bool, ascii: Bool) {
        self.color = color
        self.ascii = ascii
    }

    /// No colour, block sparklines.
    public static let plain = TextStyle(color: false, ascii: false)

    public enum Tone: Sendable {
        case good
        case warning
        case bad
        case muted
        case strong
    }

    /// `text` wrapped in the ANSI sequence of `tone` when colour is on.
    public func paint(_ text: String, _ tone: Tone) -> String {
        guard color, !text.isEmpty else { return text }
        let code: String
        switch tone {
        case .good: code = "32"
        case .warning: code = "33"
        case .bad: code = "31"
        case .muted: code = "2"
        case .strong: code = "1"
        }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// The tone of a release status.
    public static func tone(of status: ReleaseStatus) -> Tone {
        switch status {
        case .current: return .good
        case .deployed: return .strong
        case .failed, .bad: return .bad
        case .incomplete, .invalid: return .warning
        }
    }

    /// The tone of a health level.
    public static func tone(of level: HealthLevel) -> Tone {
        switch level {
        case .ok: return .good
        case .warning: return .warning
        case .critical: return .bad
        case .unknown: return .muted
        }
    }

    /// The tone of an overall verdict.
    public static func tone(of health: OverallHealth) -> Tone {
        switch health {
        case .healthy: return .good
        case .degraded: return .bad
        case .unknown, .unavailable: return .warning
        }
    }
}
