import Foundation

/// Builds deploy directory fixtures in a fresh temporary directory, removed by `remove()`.
struct TreeBuilder {
    let root: String

    init() throws {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("reldash-io-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        root = base.path + "/deploy"
        try FileManager.default.createDirectory(atPath: root + "/releases", withIntermediateDirectories: true)
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: (root as NSString).deletingLastPathComponent)
    }

    func write(_ relative: String, _ text: String) throws {
        let path = root + "/" + relative
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// A complete deployed (or failed) release: manifest, release.env, compose file with its sha256.
    func release(_ id: String, status: String = "deployed", environment: String = "dev") throws {
        let compose = "services:\n  api:\n    image: tasks-api:\(id)\n"
        try write("releases/\(id)/docker-compose.yml", compose)
        try write(
            "releases/\(id)/release.env",
            "API_IMAGE=tasks-api:\(id)\nAPP_ENV=\(environment)\nRELEASE_ID=\(id)\nCOMPOSE_PROJECT_NAME=tasks-\(environment)\n"
        )
        try write(
            "releases/\(id)/manifest.json",
            """
            {"schema_version": 1, "release_id": "\(id)", "environment": "\(environment)", "status": "\(status)",
             "artifacts": [{"path": "docker-compose.yml", "sha256": "\(sha256(compose))"}]}
            """)
    }

    func symlinkCurrent(to id: String) throws {
        try FileManager.default.createSymbolicLink(atPath: root + "/current", withDestinationPath: "releases/\(id)")
    }

    func sha256(_ text: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try? process.run()
        input.fileHandleForWriting.write(Data(text.utf8))
        try? input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
