/// What the deploy directory holds for one release, as read, before any status is derived.
public struct ReleaseRecord: Equatable, Sendable {
    /// The manifest as found.
    public enum ManifestReading: Equatable, Sendable {
        /// No manifest.json: the deploy never finished (or is running now).
        case missing
        case valid(Manifest)
        /// Present but unusable; the problem says why.
        case invalid(ManifestProblem)
        /// Present but could not be read (permissions, I/O error).
        case unreadable(String)
    }

    public var id: ReleaseID
    public var manifest: ManifestReading
    public var badMarker: BadMarker?
    /// The `KEY=VALUE` lines of release.env; nil when the file is absent (the deploy scripts then
    /// refuse to roll back to the release).
    public var releaseEnv: [String: String]?

    public init(
        id: ReleaseID, manifest: ManifestReading, badMarker: BadMarker? = nil, releaseEnv: [String: String]? = nil
    ) {
        self.id = id
        self.manifest = manifest
        self.badMarker = badMarker
        self.releaseEnv = releaseEnv
    }

    /// Parses release.env: `KEY=VALUE` lines; comments, blanks and other lines are skipped. The
    /// file is read, never sourced (the scripts read it the same way).
    public static func parseReleaseEnv(_ text: String) -> [String: String] {
        var values: [String: String] = [:]
        for rawLine in Array(text.utf8).split(separator: 0x0A) {
            let line = rawLine.last == 0x0D ? rawLine.dropLast() : rawLine
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")), equals != line.startIndex else { continue }
            let key = line[..<equals]
            guard let first = key.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
                key.allSatisfy(isKeyByte)
            else { continue }
            values[String(decoding: key, as: UTF8.self)] = String(decoding: line[(equals + 1)...], as: UTF8.self)
        }
        return values
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }

    /// The environment the release was deployed to (APP_ENV in release.env, as the scripts read it).
    public var appEnvironment: String {
        releaseEnv?["APP_ENV"] ?? ""
    }

    /// The manifest when it was read and is valid.
    public var validManifest: Manifest? {
        if case .valid(let manifest) = manifest { return manifest }
        return nil
    }
}
