/// What differs between two releases, field by field (what `helm diff` answers before a rollback:
/// which image, commit, version, environment, flags, configuration and compose file would serve).
public struct ReleaseDiff: Equatable, Sendable {
    /// One compared field: its value in the base release (the current one) and in the other.
    public struct Field: Equatable, Sendable {
        /// The field as the diff names it: `image api`, `flag task_search`, `config LOG_LEVEL`.
        public var name: String
        /// The value in the base release; nil when it has none.
        public var base: String?
        /// The value in the compared release; nil when it has none.
        public var other: String?

        public init(name: String, base: String?, other: String?) {
            self.name = name
            self.base = base
            self.other = other
        }

        public var changed: Bool { base != other }
    }

    public var base: ReleaseID
    public var other: ReleaseID
    /// Every compared field, in a fixed order: the fixed fields, then flags and config by name.
    public var fields: [Field]

    /// The fields whose values differ.
    public var changes: [Field] { fields.filter(\.changed) }

    /// Compares `other` against `base` (the current release). Flags and config keys present in
    /// either release are compared; a key only one has is a change (the other side is nil).
    public init(base: Release, other: Release) {
        self.base = base.id
        self.other = other.id
        let left = base.manifest
        let right = other.manifest
        var fields: [Field] = []
        func add(_ name: String, _ value: (Manifest) -> String?) {
            fields.append(Field(name: name, base: left.flatMap(value), other: right.flatMap(value)))
        }
        let services = Set(((left?.images ?? []) + (right?.images ?? [])).map { $0.service ?? "-" })
        for service in services.sorted() {
            add("image \(service)") { manifest in manifest.images.first { ($0.service ?? "-") == service }?.ref }
        }
        add("commit") { $0.git?.commit ?? $0.git?.short }
        add("version") { $0.appVersion }
        add("environment") { $0.environment }
        if left?.slot != nil || right?.slot != nil {
            add("slot") { $0.slot }
        }
        add("compose sha256") { manifest in
            manifest.artifacts.first { $0.path == "docker-compose.yml" }.map { String($0.sha256.prefix(12)) }
        }
        let flagNames = Set((left?.flags ?? [:]).keys).union((right?.flags ?? [:]).keys)
        for name in flagNames.sorted() {
            add("flag \(name)") { manifest in manifest.flags[name].map { $0 ? "on" : "off" } }
        }
        let configKeys = Set((left?.config ?? [:]).keys).union((right?.config ?? [:]).keys)
        for key in configKeys.sorted() {
            add("config \(key)") { $0.config[key] }
        }
        self.fields = fields
    }
}
