import CLibCrypto
import ReleaseCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
    private let systemRead = Glibc.read
#elseif canImport(Darwin)
    import Darwin
    private let systemRead = Darwin.read
#endif

/// Small-file reads with POSIX calls: distinguishes "absent" from "present but unreadable", and
/// is cheap enough to call 10,000 times.
enum FileBytes {
    enum Outcome {
        case missing
        case failed(String)
        case bytes([UInt8])
    }

    /// The file's bytes, or nil when it is absent or unreadable.
    static func read(_ path: String) -> [UInt8]? {
        if case .bytes(let bytes) = readDetailed(path) { return bytes }
        return nil
    }

    static func readDetailed(_ path: String, relativeTo directory: Int32 = AT_FDCWD) -> Outcome {
        let descriptor = openat(directory, path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            return code == ENOENT || code == ENOTDIR ? .missing : .failed(String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        // Sized from fstat: no scratch buffer to allocate and clear for each of 30,000 small files.
        var info = stat()
        let expected = fstat(descriptor, &info) == 0 ? max(0, Int(info.st_size)) : 0
        var bytes = [UInt8](repeating: 0, count: expected + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(4_096, filled))) }
            let count = bytes.withUnsafeMutableBytes { raw in
                systemRead(descriptor, raw.baseAddress! + filled, raw.count - filled)
            }
            if count == 0 {
                bytes.removeSubrange(filled...)
                return .bytes(bytes)
            }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed(String(cString: strerror(errno)))
            }
            filled += count
        }
    }

    /// What kind of entry a path is, without following a final symbolic link.
    enum Kind: Equatable {
        case missing
        case directory
        case symlink
        case other
    }

    static func kind(_ path: String) -> Kind {
        var info = stat()
        guard lstat(path, &info) == 0 else { return .missing }
        switch info.st_mode & S_IFMT {
        case S_IFDIR: return .directory
        case S_IFLNK: return .symlink
        default: return .other
        }
    }

    enum RegularOutcome {
        case missing
        /// A directory, a symbolic link (never followed) or another kind of entry.
        case notARegularFile
        case failed(String)
        case bytes([UInt8])
    }

    /// At most `limit` bytes of a regular file, never through a symbolic link (the deploy-tree
    /// contract trusts no link inside a release).
    static func readRegular(_ path: String, relativeTo directory: Int32 = AT_FDCWD, limit: Int) -> RegularOutcome {
        let descriptor = openat(directory, path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR {
                var info = stat()
                return fstatat(directory, path, &info, AT_SYMLINK_NOFOLLOW) == 0 ? .notARegularFile : .missing
            }
            return code == ELOOP ? .notARegularFile : .failed(String(cString: strerror(code)))
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return .failed(String(cString: strerror(errno))) }
        guard info.st_mode & S_IFMT == S_IFREG else { return .notARegularFile }
        var bytes = [UInt8](repeating: 0, count: min(limit, max(0, Int(info.st_size)) + 1))
        var filled = 0
        while filled < limit {
            if filled == bytes.count {
                bytes.append(contentsOf: repeatElement(0, count: min(limit - filled, max(4_096, filled))))
            }
            let count = bytes.withUnsafeMutableBytes { raw in
                systemRead(descriptor, raw.baseAddress! + filled, raw.count - filled)
            }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed(String(cString: strerror(errno)))
            }
            filled += count
        }
        bytes.removeSubrange(filled...)
        return .bytes(bytes)
    }

    /// The names in a directory (without . and ..) and what kind of entry each is (a symbolic
    /// link is reported as such, never followed); nil when the directory cannot be opened.
    static func entries(_ path: String) -> [(name: String, kind: Kind)]? {
        guard let stream = opendir(path) else { return nil }
        defer { closedir(stream) }
        var entries: [(name: String, kind: Kind)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let kind: Kind
            switch entry.pointee.d_type {
            case UInt8(DT_DIR): kind = .directory
            case UInt8(DT_LNK): kind = .symlink
            case UInt8(DT_UNKNOWN): kind = FileBytes.kind(path + "/" + name)
            default: kind = .other
            }
            entries.append((name, kind))
        }
        return entries
    }

    /// The sha256 of a file of any size, read in 1 MiB chunks, as 64 lowercase hex digits; nil
    /// when it cannot be read. The system's OpenSSL libcrypto (EVP interface): as fast as
    /// swift-crypto's BoringSSL, with no C library to compile (see docs/reldash.md, "Choix
    /// techniques mesurés").
    static func sha256(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        guard let context = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { return nil }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            let updated = buffer.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, count) }
            guard updated == 1 else { return nil }
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1, length == 32 else { return nil }
        return hex(digest.prefix(Int(length)))
    }

    /// Lowercase hex digits of a digest.
    private static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
