import ReleaseCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where "now" comes from; ReleaseCore never reads a clock itself.
public protocol WallClock: Sendable {
    func now() -> Timestamp
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    public init() {}

    public func now() -> Timestamp {
        Timestamp(seconds: Date().timeIntervalSince1970)
    }
}

/// A clock that always says the same time: `RELDASH_NOW` sets it, so that output with ages is
/// reproducible in tests and in documentation.
public struct FixedClock: WallClock {
    public let time: Timestamp

    public init(_ time: Timestamp) {
        self.time = time
    }

    public func now() -> Timestamp { time }
}
