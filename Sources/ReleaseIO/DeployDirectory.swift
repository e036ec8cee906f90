import Dispatch
import Foundation
import ReleaseCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads the state of a deploy directory. A protocol so that commands can be driven by an
/// in-memory tree in tests.
public protocol DeployTreeReading: Sendable {
    /// Reads the releases `scope` needs, the pointer, history and lock; partial and corrupt content
    /// is reported inside the snapshot, only a missing or unreadable directory throws.
    func snapshot(scope: CatalogScope) throws(DeployReadError) -> DeploySnapshot
    /// The manifest of `id` as parsed JSON (unknown fields included); nil when absent or not JSON.
    func manifestDocument(_ id: ReleaseID) -> JSONValue?
    /// Checks every artifact listed in the manifest against the file in the release directory.
    func checkArtifacts(of release: Release) -> [ArtifactCheck]
}

/// Why the deploy directory itself cannot be read.
public enum DeployReadError: Error, Equatable, Sendable, CustomStringConvertible {
    case missing(String)
    case notADirectory(String)
    case unreadable(String, String)

    public var description: String {
        switch self {
        case .missing(let path):
            return "deploy directory \(path) does not exist: pass --deploy-dir (or RELDASH_DEPLOY_DIR), "
                + "or deploy once with scripts/deploy_local.sh"
        case .notADirectory(let path):
            return "\(path) is not a directory: pass the deploy directory with --deploy-dir"
        case .unreadable(let path, let why):
            return "cannot read \(path): \(why)"
        }
    }
}

/// The deploy directory on disk (`deploy/` by default).
public struct DeployDirectory: DeployTreeReading {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    private var releasesPath: String { path + "/releases" }

    public func snapshot(scope: CatalogScope = .all) throws(DeployReadError) -> DeploySnapshot {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        guard files.fileExists(atPath: path, isDirectory: &isDirectory) else { throw .missing(path) }
        guard isDirectory.boolValue else { throw .notADirectory(path) }
        var warnings: [String] = []
        let ids = try releaseIDs(warnings: &warnings)
        let pointer = CurrentPointer(symlink: readSymlinkPointer(), text: readTextPointer())
        let catalog = scope.load(allIDs: ids, pointer: pointer.resolution) { readRecords($0) }
        return DeploySnapshot(
            path: path, catalog: catalog, history: readHistory(), lock: readLock(), warnings: warnings)
    }

    public func manifestDocument(_ id: ReleaseID) -> JSONValue? {
        guard let bytes = FileBytes.read(releasesPath + "/\(id.rawValue)/manifest.json") else { return nil }
        return try? JSONParser.parse(bytes)
    }

    public func checkArtifacts(of release: Release) -> [ArtifactCheck] {
        let directory = releasesPath + "/\(release.id.rawValue)"
        return (release.manifest?.artifacts ?? []).map { artifact in
            guard ArtifactCheck.isSafe(artifact.path) else {
                return ArtifactCheck(
                    path: artifact.path, expectedSHA256: artifact.sha256, actualSHA256: nil, state: .unsafePath,
                    detail: "path leaves the release directory; not read")
            }
            let file = directory + "/" + artifact.path
            guard FileManager.default.fileExists(atPath: file) else {
                return ArtifactCheck(
                    path: artifact.path, expectedSHA256: artifact.sha256, actualSHA256: nil, state: .missing,
                    detail: "file not found")
            }
            guard let digest = FileBytes.sha256(file) else {
                return ArtifactCheck(
                    path: artifact.path, expectedSHA256: artifact.sha256, actualSHA256: nil, state: .unreadable,
                    detail: "cannot be read")
            }
            let matches = digest == artifact.sha256
            return ArtifactCheck(
                path: artifact.path, expectedSHA256: artifact.sha256, actualSHA256: digest,
                state: matches ? .ok : .mismatch,
                detail: matches ? nil : "sha256 \(digest.prefix(12)), manifest says \(artifact.sha256.prefix(12))")
        }
    }

    /// Directory names under releases/ that are release ids; anything else is reported and skipped.
    private func releaseIDs(warnings: inout [String]) throws(DeployReadError) -> [ReleaseID] {
        guard let entries = FileBytes.entries(releasesPath) else {
            if !FileManager.default.fileExists(atPath: releasesPath) { return [] }
            throw .unreadable(releasesPath, "the directory cannot be listed")
        }
        var ids: [ReleaseID] = []
        ids.reserveCapacity(entries.count)
        for entry in entries.sorted(by: { $0.name < $1.name }) where !entry.name.hasPrefix(".") {
            guard let id = ReleaseID(entry.name) else {
                warnings.append("releases/\(entry.name) ignored: not a release id (YYYYMMDDTHHMMSSZ)")
                continue
            }
            guard entry.isDirectory else {
                warnings.append("releases/\(entry.name) ignored: not a directory")
                continue
            }
            ids.append(id)
        }
        return ids
    }

    /// Reads release directories, in parallel when there are many (each is independent). Files
    /// are opened relative to releases/, so the kernel resolves two path components, not the
    /// whole path, 30,000 times.
    private func readRecords(_ ids: [ReleaseID]) -> [ReleaseRecord] {
        let directory = open(releasesPath, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if directory >= 0 { close(directory) } }
        let base = directory >= 0 ? directory : AT_FDCWD
        let prefix = directory >= 0 ? "" : releasesPath + "/"
        if ids.count < 64 {
            return ids.map { DeployDirectory.readRecord($0, directory: base, prefix: prefix) }
        }
        let results = RecordBuffer(count: ids.count)
        let chunk = 256
        let chunks = (ids.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { part in
            let range = part * chunk..<min(ids.count, (part + 1) * chunk)
            results.set(
                range.lowerBound, range.map { DeployDirectory.readRecord(ids[$0], directory: base, prefix: prefix) })
        }
        return results.values
    }

    private static func readRecord(_ id: ReleaseID, directory: Int32, prefix: String) -> ReleaseRecord {
        let release = prefix + id.rawValue
        let manifest: ReleaseRecord.ManifestReading
        switch FileBytes.readDetailed(release + "/manifest.json", relativeTo: directory) {
        case .missing:
            manifest = .missing
        case .failed(let why):
            manifest = .unreadable(why)
        case .bytes(let bytes):
            do {
                manifest = .valid(try Manifest.parse(bytes))
            } catch {
                manifest = .invalid(error)
            }
        }
        let marker: BadMarker?
        switch FileBytes.readDetailed(release + "/BAD", relativeTo: directory) {
        case .missing: marker = nil
        case .failed(let why): marker = BadMarker(text: "(BAD marker present but unreadable: \(why))")
        case .bytes(let bytes): marker = BadMarker(text: String(decoding: bytes, as: UTF8.self))
        }
        var releaseEnv: [String: String]?
        if case .bytes(let bytes) = FileBytes.readDetailed(release + "/release.env", relativeTo: directory) {
            releaseEnv = ReleaseRecord.parseReleaseEnv(String(decoding: bytes, as: UTF8.self))
        }
        return ReleaseRecord(id: id, manifest: manifest, badMarker: marker, releaseEnv: releaseEnv)
    }

    private func readSymlinkPointer() -> CurrentPointer.Reading {
        let link = path + "/current"
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: link) else { return .absent }
        guard attributes[.type] as? FileAttributeType == .typeSymbolicLink else {
            if attributes[.type] as? FileAttributeType == .typeDirectory {
                return .unusable(
                    "is a directory, not a symlink (a copy made where symlinks do not work); current.txt is used")
            }
            return .unusable("is not a symlink")
        }
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link) else {
            return .unusable("symlink cannot be read")
        }
        return .value(target)
    }

    private func readTextPointer() -> CurrentPointer.Reading {
        switch FileBytes.readDetailed(path + "/current.txt") {
        case .missing: return .absent
        case .failed(let why): return .unusable(why)
        case .bytes(let bytes):
            let firstLine = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            return .value(firstLine.trimmingWhitespace())
        }
    }

    private func readHistory() -> HistoryLog {
        switch FileBytes.readDetailed(path + "/history.jsonl") {
        case .missing: return HistoryLog()
        case .failed(let why): return HistoryLog(entries: [], problems: ["cannot be read: \(why)"])
        case .bytes(let bytes): return HistoryLog.parse(bytes, keepingLast: HistoryLog.recentCount)
        }
    }

    private func readLock() -> LockHolder? {
        let lock = path + "/.lock"
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: lock, isDirectory: &isDirectory) else { return nil }
        guard isDirectory.boolValue else { return LockHolder(files: [:]) }
        var files: [String: String] = [:]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: lock)) ?? [] {
            guard let bytes = FileBytes.read(lock + "/" + name), bytes.count <= 4_096 else { continue }
            files[name] = String(decoding: bytes, as: UTF8.self)
        }
        return LockHolder(files: files)
    }
}

/// Storage filled from concurrent workers, one distinct slice each.
private final class RecordBuffer: @unchecked Sendable {
    private var storage: [[ReleaseRecord]]
    private var starts: [Int] = []
    private let lock = NSLock()

    init(count: Int) {
        storage = []
        storage.reserveCapacity(count / 256 + 1)
    }

    func set(_ start: Int, _ records: [ReleaseRecord]) {
        lock.lock()
        starts.append(start)
        storage.append(records)
        lock.unlock()
    }

    /// Every record, in the order of the ids given to the workers.
    var values: [ReleaseRecord] {
        lock.lock()
        defer { lock.unlock() }
        return starts.indices.sorted { starts[$0] < starts[$1] }.flatMap { storage[$0] }
    }
}
