/// What a reader found at `releases/<id>/manifest.json`. ReleaseIO fills it; the rule is pure.
public enum ManifestFile: Equatable, Sendable {
    case absent
    /// A directory, a symbolic link or another kind of entry.
    case notARegularFile
    case unreadable(String)
    /// At most the first `ManifestTextRule.byteLimit + 1` bytes.
    case bytes([UInt8])
}

/// The verdict of the manifest rule of the deploy-tree contract.
public enum ManifestVerdict: Equatable, Sendable {
    case missing
    case deployed
    case failed
    case invalid(ContractCode)
}

/// The manifest rule of deploy/contract/README.md ("Validité d'un manifeste"), on bytes and
/// without a JSON parser, exactly as scripts/lib/releases.sh (`release_manifest_read`) applies
/// it with bash regular expressions in the C locale. Both run deploy/contract/corpus.
///
/// It decides a release's status and whether it can be a rollback target. reldash's JSON reading
/// (`Manifest`) only adds details and warnings; it never changes the verdict.
public enum ManifestTextRule {
    /// The largest manifest the rule reads, in bytes.
    public static let byteLimit = 262_144

    public static func verdict(_ file: ManifestFile, releaseID: String) -> ManifestVerdict {
        switch file {
        case .absent: return .missing
        case .notARegularFile: return .invalid(.manifestNotAFile)
        case .unreadable: return .invalid(.manifestUnreadable)
        case .bytes(let bytes): return verdict(bytes: bytes, releaseID: releaseID)
        }
    }

    static func verdict(bytes: [UInt8], releaseID: String) -> ManifestVerdict {
        let window = bytes.prefix(byteLimit + 1)
        if window.contains(0) { return .invalid(.manifestNulByte) }
        if window.count > byteLimit { return .invalid(.manifestTooLarge) }
        let text = Array(window)
        var body = text[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        while let first = body.first, isSpace(first) { body = body.dropFirst() }
        while let last = body.last, isSpace(last) { body = body.dropLast() }
        guard body.first == UInt8(ascii: "{"), body.last == UInt8(ascii: "}") else {
            return .invalid(.notAnObject)
        }
        let versionKeys = matches(in: text, key: "schema_version", value: .none).count
        if versionKeys == 0 { return .invalid(.schemaVersionMissing) }
        let versions = matches(in: text, key: "schema_version", value: .token)
        if versions.count != versionKeys || versions.contains(where: { !$0.elementsEqual("1".utf8) }) {
            return .invalid(.schemaVersionUnsupported)
        }
        let idKeys = matches(in: text, key: "release_id", value: .none).count
        if idKeys == 0 { return .invalid(.releaseIdMissing) }
        let ids = matches(in: text, key: "release_id", value: .string)
        if ids.count != idKeys || ids.contains(where: { !$0.elementsEqual(releaseID.utf8) }) {
            return .invalid(.releaseIdMismatch)
        }
        let outcomes = matches(in: text, key: "status", value: .outcome)
        switch outcomes.count {
        case 0: return .invalid(.noOutcome)
        case 1: return outcomes[0].elementsEqual("failed".utf8) ? .failed : .deployed
        default: return .invalid(.severalOutcomes)
        }
    }

    /// What follows `"key"<spaces>:<spaces>` in a match.
    enum ValueShape {
        /// Nothing: the pattern `"key"[[:space:]]*:`.
        case none
        /// `([^,}[:space:]]+)`.
        case token
        /// `"([^"]*)"`.
        case string
        /// `"(deployed|failed)"`.
        case outcome
    }

    /// The first group of every match of `"key"[[:space:]]*:[[:space:]]*VALUE`, scanning left to
    /// right without overlap, as the bash loop `[[ $rest =~ $pattern ]]` does.
    static func matches(in text: [UInt8], key: String, value: ValueShape) -> [ArraySlice<UInt8>] {
        let needle = [UInt8(ascii: "\"")] + Array(key.utf8) + [UInt8(ascii: "\"")]
        var found: [ArraySlice<UInt8>] = []
        var start = 0
        while let at = firstIndex(of: needle, in: text, from: start) {
            if let (group, end) = match(text, after: at + needle.count, value: value) {
                found.append(group)
                start = end
            } else {
                start = at + 1
            }
        }
        return found
    }

    private static func match(_ text: [UInt8], after position: Int, value: ValueShape) -> (ArraySlice<UInt8>, Int)? {
        var index = position
        while index < text.count, isSpace(text[index]) { index += 1 }
        guard index < text.count, text[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        if value == .none { return (text[index..<index], index) }
        while index < text.count, isSpace(text[index]) { index += 1 }
        switch value {
        case .none:
            return nil
        case .token:
            let begin = index
            while index < text.count, !isSpace(text[index]), text[index] != UInt8(ascii: ","),
                text[index] != UInt8(ascii: "}")
            {
                index += 1
            }
            return index > begin ? (text[begin..<index], index) : nil
        case .string, .outcome:
            guard index < text.count, text[index] == UInt8(ascii: "\"") else { return nil }
            let begin = index + 1
            guard let close = text[begin...].firstIndex(of: UInt8(ascii: "\"")) else { return nil }
            let group = text[begin..<close]
            if value == .outcome, !group.elementsEqual("deployed".utf8), !group.elementsEqual("failed".utf8) {
                return nil
            }
            return (group, close + 1)
        }
    }

    private static func firstIndex(of needle: [UInt8], in text: [UInt8], from start: Int) -> Int? {
        guard needle.count <= text.count else { return nil }
        var index = start
        let last = text.count - needle.count
        while index <= last {
            if text[index] == needle[0], text[index..<index + needle.count].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    /// `[[:space:]]` in the C locale: space, tab, newline, vertical tab, form feed, carriage return.
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (0x09...0x0D).contains(byte)
    }
}
