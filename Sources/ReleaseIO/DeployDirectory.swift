import Dispatch
import ReleaseCore
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

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
    /// The name a lock's `host` is compared with to tell a stale lock (this machine by default).
    public let thisHost: String
    /// Records read by earlier snapshots, reused while their files are unchanged.
    private let cache = ReleaseRecordCache()

    public init(path: String, thisHost: String? = nil) {
        self.path = path
        self.thisHost = thisHost ?? ThisHost.name
    }

    /// Releases whose records the next snapshot can reuse without reading their files.
    var cachedRecords: Int { cache.count }

    private var releasesPath: String { path + "/releases" }

    public func snapshot(scope: CatalogScope = .all) throws(DeployReadError) -> DeploySnapshot {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .missing(path) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw .notADirectory(path) }
        var ignored: [IgnoredEntry] = []
        let ids = try releaseIDs(ignored: &ignored)
        let releases = Set(ids)
        let pointer = CurrentPointer(link: readLinkPointer(), text: readTextPointer()).resolve { releases.contains($0) }
        let catalog = scope.load(allIDs: ids, pointer: pointer) { readRecords($0) }
        if scope == .all { cache.keep(only: releases) }
        return DeploySnapshot(
            path: path, catalog: catalog, history: readHistory(), lock: readLock(), ignored: ignored)
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

    /// Directory names under releases/ that are releases; anything else is reported (as
    /// `ignored NAME: code: text`) and skipped, by the contract's rule. Dot-files are skipped.
    private func releaseIDs(ignored: inout [IgnoredEntry]) throws(DeployReadError) -> [ReleaseID] {
        guard let entries = FileBytes.entries(releasesPath) else {
            if !FileManager.default.fileExists(atPath: releasesPath) { return [] }
            throw .unreadable(releasesPath, "the directory cannot be listed")
        }
        var ids: [ReleaseID] = []
        ids.reserveCapacity(entries.count)
        for entry in entries.sorted(by: { $0.name < $1.name }) where !entry.name.hasPrefix(".") {
            let problem: ContractCode?
            let id = ReleaseID(entry.name)
            if id == nil {
                problem = .notAReleaseId
            } else if entry.kind == .symlink {
                problem = .symlinkEntry
            } else if entry.kind != .directory {
                problem = .notADirectory
            } else {
                problem = nil
            }
            if let problem {
                ignored.append(IgnoredEntry(name: entry.name, code: problem))
                continue
            }
            if let id { ids.append(id) }
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
        let cache = self.cache
        // Without the releases/ descriptor the paths are absolute: no stamp, no reuse.
        @Sendable func read(_ id: ReleaseID) -> ReleaseRecord {
            guard directory >= 0 else { return DeployDirectory.readRecord(id, directory: base, prefix: prefix) }
            let stamp = ReleaseRecordCache.stamp(id.rawValue, directory: directory)
            if let known = cache.record(id, stamp: stamp) { return known }
            let record = DeployDirectory.readRecord(id, directory: base, prefix: prefix)
            cache.store(record, stamp: stamp)
            return record
        }
        if ids.count < 64 {
            return ids.map(read)
        }
        let results = RecordBuffer(count: ids.count)
        let chunk = 256
        let chunks = (ids.count + chunk - 1) / chunk
        DispatchQueue.concurrentPerform(iterations: chunks) { part in
            let range = part * chunk..<min(ids.count, (part + 1) * chunk)
            results.set(range.lowerBound, range.map { read(ids[$0]) })
        }
        return results.values
    }

    private static func readRecord(_ id: ReleaseID, directory: Int32, prefix: String) -> ReleaseRecord {
        let release = prefix + id.rawValue
        let file: ManifestFile
        switch FileBytes.readRegular(
            release + "/manifest.json", relativeTo: directory, limit: ManifestTextRule.byteLimit + 1)
        {
        case .missing: file = .absent
        case .notARegularFile: file = .notARegularFile
        case .failed(let why): file = .unreadable(why)
        case .bytes(let bytes): file = .bytes(bytes)
        }
        let marker: BadMarker?
        switch FileBytes.readRegular(release + "/BAD", relativeTo: directory, limit: 65_536) {
        case .missing: marker = nil
        case .notARegularFile, .failed: marker = BadMarker(bytes: [])
        case .bytes(let bytes): marker = BadMarker(bytes: bytes)
        }
        var releaseEnv: [String: String]?
        if case .bytes(let bytes) = FileBytes.readRegular(
            release + "/release.env", relativeTo: directory, limit: 1 << 20)
        {
            releaseEnv = KeyValueFile.parse(bytes)
        }
        return ReleaseRecord(
            id: id, manifest: ReleaseRecord.ManifestReading(file, releaseID: id), badMarker: marker,
            releaseEnv: releaseEnv)
    }

    private func readLinkPointer() -> CurrentPointer.Link {
        switch FileBytes.kind(path + "/current") {
        case .missing: return .absent
        case .symlink:
            guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: path + "/current") else {
                return .symlink("")
            }
            return .symlink(target)
        case .directory, .other: return .notASymlink
        }
    }

    private func readTextPointer() -> CurrentPointer.Text {
        switch FileBytes.readRegular(path + "/current.txt", limit: 4_096) {
        case .missing: return .absent
        case .notARegularFile: return .notAFile
        case .failed: return .firstLine([])
        case .bytes(let bytes): return .firstLine(Array(bytes.prefix(while: { $0 != 0x0A })))
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
        switch FileBytes.kind(lock) {
        case .missing: return nil
        case .symlink, .other: return LockHolder(.notADirectory, thisHost: thisHost, isAlive: ThisHost.isAlive)
        case .directory:
            var info: [UInt8]?
            if case .bytes(let bytes) = FileBytes.readRegular(lock + "/info", limit: 65_536) { info = bytes }
            return LockHolder(.directory(info: info), thisHost: thisHost, isAlive: ThisHost.isAlive)
        }
    }
}

/// Storage filled from concurrent workers, one distinct slice each.
private final class RecordBuffer: Sendable {
    private let slices: Mutex<[(start: Int, records: [ReleaseRecord])]>

    init(count: Int) {
        var slices: [(start: Int, records: [ReleaseRecord])] = []
        slices.reserveCapacity(count / 256 + 1)
        self.slices = Mutex(slices)
    }

    func set(_ start: Int, _ records: [ReleaseRecord]) {
        slices.withLock { $0.append((start, records)) }
    }

    /// Every record, in the order of the ids given to the workers.
    var values: [ReleaseRecord] {
        slices.withLock { $0.sorted { $0.start < $1.start }.flatMap(\.records) }
    }
}
