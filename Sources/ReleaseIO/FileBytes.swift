import Crypto
import Foundation
import ReleaseCore

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

    /// The names in a directory (without . and ..) and whether each is a directory (symlinks to
    /// directories count); nil when the directory cannot be opened.
    static func entries(_ path: String) -> [(name: String, isDirectory: Bool)]? {
        guard let stream = opendir(path) else { return nil }
        defer { closedir(stream) }
        var entries: [(name: String, isDirectory: Bool)] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let type = entry.pointee.d_type
            var isDirectory = type == UInt8(DT_DIR)
            if type == UInt8(DT_UNKNOWN) || type == UInt8(DT_LNK) {
                var info = stat()
                isDirectory = stat(path + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
            }
            entries.append((name, isDirectory))
        }
        return entries
    }

    /// The sha256 of a file of any size, read in 1 MiB chunks, as 64 lowercase hex digits; nil
    /// when it cannot be read. swift-crypto's SHA256 (BoringSSL): see README, "reldash", for the
    /// measurement against the hand-written one it replaced.
    static func sha256(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var hasher = Crypto.SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = buffer.withUnsafeMutableBytes { systemRead(descriptor, $0.baseAddress, $0.count) }
            if count == 0 { return hex(hasher.finalize()) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
        }
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
