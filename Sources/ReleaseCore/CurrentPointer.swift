/// Which release is current, from `deploy/current` (a relative symlink to `releases/<id>`) and
/// `deploy/current.txt` (the id as text, for systems where symlinks are copies).
///
/// Where both exist and disagree the symlink wins: it is the one switched atomically (temp link
/// and rename); the disagreement is reported so the operator can fix it.
public struct CurrentPointer: Equatable, Sendable {
    /// What was found at one of the two places.
    public enum Reading: Equatable, Sendable {
        case absent
        /// The symlink's target, or current.txt's first line, as read.
        case value(String)
        /// Present but not usable (e.g. `current` is a directory copy, or cannot be read).
        case unusable(String)
    }

    /// Where the current id came from.
    public enum Source: String, Equatable, Sendable {
        case symlink
        case text
        case none
    }

    public var symlink: Reading
    public var text: Reading

    public init(symlink: Reading, text: Reading) {
        self.symlink = symlink
        self.text = text
    }

    /// The current release id (nil when there is none), where it came from, and any problem.
    public var resolution: Resolution {
        let fromLink = CurrentPointer.id(fromLinkTarget: symlink)
        let fromText = CurrentPointer.id(fromText: text)
        var problems: [String] = []
        if case .unusable(let why) = symlink { problems.append("deploy/current: \(why)") }
        if case .unusable(let why) = text { problems.append("deploy/current.txt: \(why)") }
        if case .value(let target) = symlink, fromLink == nil {
            problems.append("deploy/current points to '\(target)', not to releases/<id>")
        }
        if case .value(let content) = text, fromText == nil {
            problems.append("deploy/current.txt holds '\(content)', not a release id")
        }
        if let fromLink, let fromText, fromLink != fromText {
            problems.append(
                "deploy/current -> \(fromLink) disagrees with deploy/current.txt = \(fromText); "
                    + "the symlink is used: rewrite current.txt (or redeploy) to fix")
        }
        if let fromLink { return Resolution(id: fromLink, source: .symlink, problems: problems) }
        if let fromText { return Resolution(id: fromText, source: .text, problems: problems) }
        return Resolution(id: nil, source: .none, problems: problems)
    }

    /// The result of reading both pointers.
    public struct Resolution: Equatable, Sendable {
        public var id: ReleaseID?
        public var source: Source
        public var problems: [String]
    }

    private static func id(fromLinkTarget reading: Reading) -> ReleaseID? {
        guard case .value(let target) = reading else { return nil }
        var parts = target.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        while parts.first == "." { parts.removeFirst() }
        guard parts.count == 2, parts[0] == "releases" else { return nil }
        return ReleaseID(parts[1])
    }

    private static func id(fromText reading: Reading) -> ReleaseID? {
        guard case .value(let content) = reading else { return nil }
        return ReleaseID(content.trimmingWhitespace())
    }
}
