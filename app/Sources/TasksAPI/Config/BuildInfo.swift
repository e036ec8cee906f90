/// Identity of the running build and release, set by the image (build args) and the deploy script.
public struct BuildInfo: Sendable, Equatable {
    public var version: String
    public var commit: String
    public var releaseID: String

    public init(version: String = "0.0.0-dev", commit: String = "unknown", releaseID: String = "unreleased") {
        self.version = version
        self.commit = commit
        self.releaseID = releaseID
    }

    static func read(_ reader: inout EnvironmentReader) -> BuildInfo {
        BuildInfo(
            version: reader.string("APP_VERSION", default: "0.0.0-dev"),
            commit: reader.string("GIT_COMMIT", default: "unknown"),
            releaseID: reader.string("RELEASE_ID", default: "unreleased")
        )
    }
}
