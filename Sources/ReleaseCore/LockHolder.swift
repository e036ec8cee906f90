/// deploy/.lock, the mkdir lock of the deploy scripts, as a reader sees it without waiting
/// (deploy/contract/README.md, "Verrou"; scripts/lib/lock.sh `lock_state` says the same).
public struct LockHolder: Equatable, Sendable {
    /// What is at deploy/.lock.
    public enum Entry: Equatable, Sendable {
        /// A directory, with the bytes of its `info` file (nil when there is none yet).
        case directory(info: [UInt8]?)
        /// A file or anything else: no deploy can take the lock.
        case notADirectory
    }

    /// How the lock stands.
    public enum State: String, Equatable, Sendable {
        case held
        /// Taken on this host by a process that is gone: the next deploy clears it.
        case stale
        /// deploy/.lock is not a directory.
        case invalid
    }

    public var owner: String?
    public var pid: Int64?
    public var host: String?
    public var started: String?
    public var command: String?
    public var state: State

    /// Reads the lock; `thisHost` is this machine's name and `isAlive` says whether a pid runs
    /// here (a lock from another host is held: its process cannot be checked from here).
    public init(_ entry: Entry, thisHost: String, isAlive: (Int64) -> Bool) {
        guard case .directory(let info) = entry else {
            state = .invalid
            return
        }
        guard let info else {
            state = .held
            return
        }
        let fields = KeyValueFile.parse(info)
        owner = fields["owner"]
        host = fields["host"]
        started = fields["started"]
        command = fields["command"]
        let digits = fields["pid"].flatMap { $0.utf8.allSatisfy { (48...57).contains($0) } ? Int64($0) : nil }
        pid = digits
        let gone = host == thisHost && !(digits.map(isAlive) ?? false)
        state = gone ? .stale : .held
    }

    public var json: JSONValue {
        .object([
            ("command", .optional(command)), ("host", .optional(host)), ("owner", .optional(owner)),
            ("pid", .optional(pid)), ("started", .optional(started)), ("state", .string(state.rawValue)),
        ])
    }

    /// One line for text output and error messages.
    public var summary: String {
        switch state {
        case .invalid: return ContractCode.lockInvalid.description
        case .held, .stale:
            let who = owner ?? "an unknown process (no info file yet)"
            let process = pid.map { " (pid \($0)\(host.map { " on \($0)" } ?? ""))" } ?? ""
            let since = started.map { " since \($0)" } ?? ""
            let running = command.map { ", running: \($0)" } ?? ""
            let stale = state == .stale ? " [stale: its process is gone; the next deploy clears it]" : ""
            return "\(who)\(process)\(since)\(running)\(stale)"
        }
    }
}
