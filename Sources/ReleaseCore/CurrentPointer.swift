/// Which release is current, from `deploy/current` (a relative symlink to `releases/<id>`) and
/// `deploy/current.txt` (the id as text, for systems where symlinks are copies), by the rule of
/// deploy/contract/README.md ("Pointeur courant"), the same as scripts/lib/pointer.sh.
public struct CurrentPointer: Equatable, Sendable {
    /// What is at `deploy/current`.
    public enum Link: Equatable, Sendable {
        case absent
        /// A symbolic link, with its target as written.
        case symlink(String)
        /// A file or directory (a copy made where `ln -s` copies).
        case notASymlink
    }

    /// What is at `deploy/current.txt`.
    public enum Text: Equatable, Sendable {
        case absent
        /// A directory, a symbolic link or another kind of entry.
        case notAFile
        /// Its first line (up to the first newline), as bytes; empty when it cannot be read.
        case firstLine([UInt8])
    }

    /// Where the current id came from.
    public enum Source: String, Equatable, Sendable {
        case symlink
        case text
        case both
        case none
    }

    public var link: Link
    public var text: Text

    public init(link: Link, text: Text) {
        self.link = link
        self.text = text
    }

    /// Resolves the pointer; `isRelease` says whether an id names a release directory.
    public func resolve(isRelease: (ReleaseID) -> Bool) -> Resolution {
        var warning: ContractCode?
        var fromLink: ReleaseID?
        switch link {
        case .absent:
            break
        case .symlink(let target):
            var trimmed = target
            if trimmed.hasSuffix("/") { trimmed.removeLast() }
            guard trimmed.hasPrefix("releases/"), let id = ReleaseID(String(trimmed.dropFirst("releases/".count)))
            else {
                return .broken(
                    .pointerBadTarget, "deploy/current points to '\(target)', not to releases/<id>; fix or remove it")
            }
            fromLink = id
        case .notASymlink:
            guard text != .absent else {
                return .broken(
                    .pointerNotASymlink,
                    "deploy/current exists but is not a symlink (a copy made by 'ln -s'?) and there is no current.txt; "
                        + "remove it and redeploy, or write the id into current.txt")
            }
            warning = .currentCopyIgnored
        }
        var fromText: ReleaseID?
        switch text {
        case .absent:
            break
        case .notAFile:
            return .broken(.pointerTextNotAFile, "deploy/current.txt is not a regular file; remove it")
        case .firstLine(let bytes):
            let value = CurrentPointer.trimmedLine(bytes)
            guard let id = ReleaseID(value) else {
                return .broken(
                    .pointerTextInvalid, "deploy/current.txt holds '\(value)', not a release id; fix or remove it")
            }
            fromText = id
        }
        if let fromLink, let fromText, fromLink != fromText {
            return .broken(
                .pointerConflict,
                "deploy/current says \(fromLink) but deploy/current.txt says \(fromText); remove the wrong one")
        }
        guard let id = fromLink ?? fromText else {
            return Resolution(id: nil, source: .none, broken: nil, warning: warning)
        }
        guard isRelease(id) else {
            return .broken(
                .pointerDangling,
                "the current pointer names release \(id), which is not a release directory in deploy/releases")
        }
        let source: Source = fromLink != nil && fromText != nil ? .both : fromLink != nil ? .symlink : .text
        return Resolution(id: id, source: source, broken: nil, warning: warning)
    }

    /// The line as `pointer_read` reads it: one trailing CR dropped, a leading byte order mark
    /// dropped, then spaces trimmed on both sides (inner spaces stay, and make it no id).
    static func trimmedLine(_ bytes: [UInt8]) -> String {
        var line = bytes[...]
        if line.last == 0x0D { line = line.dropLast() }
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line = line.dropFirst(3) }
        while let first = line.first, ManifestTextRule.isSpace(first) { line = line.dropFirst() }
        while let last = line.last, ManifestTextRule.isSpace(last) { line = line.dropLast() }
        return String(decoding: line, as: UTF8.self)
    }

    /// The result of reading both pointers.
    public struct Resolution: Equatable, Sendable {
        /// The current release; nil when nothing is deployed or the pointer is broken.
        public var id: ReleaseID?
        public var source: Source
        /// Why the pointer is unusable (then `id` is nil and every tool refuses to act on it).
        public var broken: ContractCode?
        /// Something off that does not stop the pointer from being read (`current_copy_ignored`).
        public var warning: ContractCode?
        /// What to do about `broken`, for the operator.
        public var message: String?

        public init(
            id: ReleaseID?, source: Source, broken: ContractCode?, warning: ContractCode?, message: String? = nil
        ) {
            self.id = id
            self.source = source
            self.broken = broken
            self.warning = warning
            self.message = message
        }

        static func broken(_ code: ContractCode, _ message: String) -> Resolution {
            Resolution(id: nil, source: .none, broken: code, warning: nil, message: message)
        }

        /// Problems to show: the broken pointer and the warning, as `code: text` plus advice.
        public var problems: [String] {
            var problems: [String] = []
            if let broken { problems.append("\(broken): \(message ?? "")") }
            if let warning { problems.append(warning.description) }
            return problems
        }
    }
}
