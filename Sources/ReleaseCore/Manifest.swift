/// A release's manifest.json, schema_version 1 (see deploy/contract/schemas/manifest.schema.json).
///
/// Readers accept unknown fields; writers fill every field or null. Only `schema_version`,
/// `release_id` and `status` are required here, so a manifest written by an older or newer
/// writer still shows what it can.
public struct Manifest: Equatable, Sendable {
    /// The only schema version this reader understands.
    public static let supportedSchemaVersion: Int64 = 1

    /// How the deploy ended, as the deploy script wrote it.
    public enum Outcome: Equatable, Sendable {
        case deployed
        case failed
        /// A value this reader does not know; the release is shown as invalid.
        case other(String)

        init(_ text: String) {
            switch text {
            case "deployed": self = .deployed
            case "failed": self = .failed
            default: self = .other(text)
            }
        }

        /// The value as written in the manifest.
        public var text: String {
            switch self {
            case .deployed: return "deployed"
            case .failed: return "failed"
            case .other(let value): return value
            }
        }
    }

    /// The commit the release was built from.
    public struct Git: Equatable, Sendable {
        public var commit: String?
        public var short: String?
        public var branch: String?
        public var dirty: Bool?
    }

    /// An image the release runs.
    public struct Image: Equatable, Sendable {
        public var service: String?
        /// The image reference; null when the deploy failed before tagging one.
        public var ref: String?
        public var id: String?
    }

    /// A file of the release directory with the sha256 it had when the deploy wrote it.
    public struct Artifact: Equatable, Sendable {
        public var path: String
        public var sha256: String
    }

    /// The result of the deploy's health gate.
    public struct HealthGate: Equatable, Sendable {
        public var url: String?
        public var status: String?
        public var attempts: Int64?
        public var durationMilliseconds: Int64?
    }

    public var releaseID: String
    public var environment: String?
    public var outcome: Outcome
    public var createdAt: Timestamp?
    public var finishedAt: Timestamp?
    public var durationMilliseconds: Int64?
    public var git: Git?
    public var appVersion: String?
    public var images: [Image]
    public var artifacts: [Artifact]
    public var previousRelease: String?
    public var deployedBy: String?
    public var healthGate: HealthGate?
    /// Why a failed deploy failed, as the deploy script wrote it.
    public var failureReason: String?
    /// The resolved, non-secret configuration the release ran with (`LOG_LEVEL` -> `info`);
    /// empty when the manifest has none (releases written before the field existed).
    public var config: [String: String]
    /// The feature flags the release ran with, keyed as the API lists them in /version
    /// (`task_search` -> true); empty when the manifest has none.
    public var flags: [String: Bool]
    /// The slot (`blue` or `green`) the deploy started the release in; absent in manifests
    /// written before the blue/green slots.
    public var slot: String?

    /// Parses and checks a manifest; the error names the first problem found.
    public static func parse(_ bytes: [UInt8]) throws(ManifestProblem) -> Manifest {
        let document: JSONValue
        do {
            document = try JSONParser.parse(bytes)
        } catch {
            throw .notJSON(error)
        }
        return try Manifest(json: document)
    }

    /// Reads a manifest from an already parsed document.
    public init(json document: JSONValue) throws(ManifestProblem) {
        guard case .object = document else { throw .notAnObject(found: document.typeName) }
        let root = FieldReader(value: document, path: "")
        guard let version = document["schema_version"] else {
            throw .unsupportedSchemaVersion("(missing)")
        }
        guard version.integerValue == Manifest.supportedSchemaVersion else {
            throw .unsupportedSchemaVersion(JSONWriter.compact(version))
        }
        releaseID = try root.requiredString("release_id")
        guard ReleaseID(releaseID) != nil else {
            throw .invalidValue(field: "release_id", reason: "is not a release id (YYYYMMDDTHHMMSSZ): '\(releaseID)'")
        }
        outcome = Outcome(try root.requiredString("status"))
        environment = try root.string("environment")
        createdAt = try root.timestamp("created_at")
        finishedAt = try root.timestamp("finished_at")
        durationMilliseconds = try root.integer("duration_ms")
        appVersion = try root.string("app_version")
        previousRelease = try root.string("previous_release")
        deployedBy = try root.string("deployed_by")
        failureReason = try root.string("failure_reason")
        slot = try root.string("slot")
        git = try root.object("git").map { (git) throws(ManifestProblem) in
            Git(
                commit: try git.string("commit"), short: try git.string("short"), branch: try git.string("branch"),
                dirty: try git.bool("dirty"))
        }
        images = try root.objects("images").map { (image) throws(ManifestProblem) in
            Image(
                service: try image.string("service"), ref: try image.string("ref"), id: try image.string("id"))
        }
        artifacts = try root.objects("artifacts").map { (artifact) throws(ManifestProblem) in
            let digest = try artifact.requiredString("sha256")
            guard digest.utf8.count == 64, digest.utf8.allSatisfy(Manifest.isHexDigit) else {
                throw .invalidValue(field: artifact.path + ".sha256", reason: "is not a sha256 (64 hex digits)")
            }
            return Artifact(path: try artifact.requiredString("path"), sha256: digest.lowercased())
        }
        config =
            try root.object("config")?.members { (field, value) throws(ManifestProblem) in
                guard let text = value.stringValue else {
                    throw .wrongType(field: field, expected: "a string", found: value.typeName)
                }
                return text
            } ?? [:]
        flags =
            try root.object("flags")?.members { (field, value) throws(ManifestProblem) in
                guard case .bool(let flag) = value else {
                    throw .wrongType(field: field, expected: "a boolean", found: value.typeName)
                }
                return flag
            } ?? [:]
        healthGate = try root.object("health").map { (health) throws(ManifestProblem) in
            HealthGate(
                url: try health.string("url"), status: try health.string("status"),
                attempts: try health.integer("attempts"), durationMilliseconds: try health.integer("duration_ms"))
        }
    }
}

extension Manifest {
    fileprivate static func isHexDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"),
            UInt8(ascii: "A")...UInt8(ascii: "F"):
            return true
        default:
            return false
        }
    }
}

/// Reads typed fields of one JSON object and names the full path of any field that is wrong.
private struct FieldReader {
    let value: JSONValue
    let path: String

    private func fieldPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    private func present(_ key: String) -> JSONValue? {
        guard let member = value[key], member != .null else { return nil }
        return member
    }

    func requiredString(_ key: String) throws(ManifestProblem) -> String {
        guard let text = try string(key) else { throw .missingField(fieldPath(key)) }
        return text
    }

    func string(_ key: String) throws(ManifestProblem) -> String? {
        guard let member = present(key) else { return nil }
        guard let text = member.stringValue else {
            throw .wrongType(field: fieldPath(key), expected: "a string", found: member.typeName)
        }
        return text
    }

    func integer(_ key: String) throws(ManifestProblem) -> Int64? {
        guard let member = present(key) else { return nil }
        guard let number = member.integerValue else {
            throw .wrongType(field: fieldPath(key), expected: "an integer", found: member.typeName)
        }
        return number
    }

    func bool(_ key: String) throws(ManifestProblem) -> Bool? {
        guard let member = present(key) else { return nil }
        guard case .bool(let flag) = member else {
            throw .wrongType(field: fieldPath(key), expected: "a boolean", found: member.typeName)
        }
        return flag
    }

    func timestamp(_ key: String) throws(ManifestProblem) -> Timestamp? {
        guard let text = try string(key) else { return nil }
        guard let time = Timestamp(rfc3339: text) else {
            throw .invalidValue(field: fieldPath(key), reason: "is not an RFC 3339 UTC time: '\(text)'")
        }
        return time
    }

    func object(_ key: String) throws(ManifestProblem) -> FieldReader? {
        guard let member = present(key) else { return nil }
        guard case .object = member else {
            throw .wrongType(field: fieldPath(key), expected: "an object", found: member.typeName)
        }
        return FieldReader(value: member, path: fieldPath(key))
    }

    /// Every member of this object through `decode` (given the member's full path and value); a
    /// repeated key keeps its last value, as lookups do.
    func members<Value>(_ decode: (String, JSONValue) throws(ManifestProblem) -> Value) throws(ManifestProblem)
        -> [String: Value]
    {
        guard case .object(let pairs) = value else { return [:] }
        var result: [String: Value] = [:]
        for (key, member) in pairs { result[key] = try decode(fieldPath(key), member) }
        return result
    }

    func objects(_ key: String) throws(ManifestProblem) -> [FieldReader] {
        guard let member = present(key) else { return [] }
        guard case .array(let elements) = member else {
            throw .wrongType(field: fieldPath(key), expected: "an array", found: member.typeName)
        }
        var readers: [FieldReader] = []
        for (position, element) in elements.enumerated() {
            let elementPath = "\(fieldPath(key))[\(position)]"
            guard case .object = element else {
                throw .wrongType(field: elementPath, expected: "an object", found: element.typeName)
            }
            readers.append(FieldReader(value: element, path: elementPath))
        }
        return readers
    }
}
