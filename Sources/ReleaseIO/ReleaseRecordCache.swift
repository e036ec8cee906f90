import ReleaseCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The release records read so far, each with the stat of the files it was read from, so that a
/// new read of a 1,000-release tree opens only the releases that changed (the dashboard reads
/// the tree every few seconds: three `fstatat` per release instead of three reads and a JSON
/// parse). A file replaced (`mv`), edited, created or removed changes its stamp.
final class ReleaseRecordCache: Sendable {
    /// What `fstatat` says of one file of a release: absent, or its identity, size and times.
    struct FileStamp: Equatable, Sendable {
        var inode: UInt64
        var size: Int64
        var modified: Int64
        var changed: Int64

        static let absent = FileStamp(inode: 0, size: -1, modified: 0, changed: 0)
    }

    /// The stamps of the files a record is made of (manifest.json, BAD, release.env).
    struct Stamp: Equatable, Sendable {
        var files: [FileStamp]
    }

    static let files = ["manifest.json", "BAD", "release.env"]

    private let entries = Mutex<[ReleaseID: (Stamp, ReleaseRecord)]>([:])

    init() {}

    /// The stamp of release `name`'s files, relative to the open releases/ directory.
    static func stamp(_ name: String, directory: Int32) -> Stamp {
        Stamp(
            files: files.map { file in
                var info = stat()
                guard fstatat(directory, name + "/" + file, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return .absent }
                #if canImport(Glibc)
                    let modified = Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec)
                    let changed = Int64(info.st_ctim.tv_sec) * 1_000_000_000 + Int64(info.st_ctim.tv_nsec)
                #else
                    let modified = Int64(info.st_mtimespec.tv_sec) * 1_000_000_000 + Int64(info.st_mtimespec.tv_nsec)
                    let changed = Int64(info.st_ctimespec.tv_sec) * 1_000_000_000 + Int64(info.st_ctimespec.tv_nsec)
                #endif
                return FileStamp(
                    inode: UInt64(info.st_ino), size: Int64(info.st_size), modified: modified, changed: changed)
            })
    }

    /// The record read earlier for `id` when its files still have `stamp`.
    func record(_ id: ReleaseID, stamp: Stamp) -> ReleaseRecord? {
        entries.withLock { entries in
            guard let (known, record) = entries[id], known == stamp else { return nil }
            return record
        }
    }

    func store(_ record: ReleaseRecord, stamp: Stamp) {
        entries.withLock { $0[record.id] = (stamp, record) }
    }

    /// Forgets the releases that are gone from the tree.
    func keep(only ids: Set<ReleaseID>) {
        entries.withLock { entries in
            guard entries.count > ids.count else { return }
            entries = entries.filter { ids.contains($0.key) }
        }
    }

    var count: Int { entries.withLock { $0.count } }
}
