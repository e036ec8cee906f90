/// What a piece of text means, not how it looks: a `Palette` decides the look for each renderer
/// (ANSI colours, curses attributes, or nothing under NO_COLOR).
public enum Tone: Hashable, Sendable, CaseIterable {
    case good
    case warning
    case bad
    case muted
    case strong

    /// The tone of a release status.
    public static func of(_ status: ReleaseStatus) -> Tone {
        switch status {
        case .current: return .good
        case .deployed: return .strong
        case .failed, .bad: return .bad
        case .incomplete, .invalid: return .warning
        }
    }

    /// The tone of a health level.
    public static func of(_ level: HealthLevel) -> Tone {
        switch level {
        case .ok: return .good
        case .warning: return .warning
        case .critical: return .bad
        case .unknown: return .muted
        }
    }

    /// The tone of an overall verdict.
    public static func of(_ health: OverallHealth) -> Tone {
        switch health {
        case .healthy: return .good
        case .degraded: return .bad
        case .unknown, .unavailable: return .warning
        }
    }
}
