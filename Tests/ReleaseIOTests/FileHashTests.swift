import Foundation
import Testing

@testable import ReleaseIO

/// The sha256 of artifact files, as `show` checks them against the manifest.
@Suite("File hashing")
struct FileHashTests {
    private static func write(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("reldash-hash-\(UUID().uuidString)")
            .path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test(
        "matches the FIPS 180-4 test vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func vectors(text: String, digest: String) throws {
        let path = try Self.write(Array(text.utf8))
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileBytes.sha256(path) == digest)
    }

    @Test("hashes a file larger than its 1 MiB read buffer (3 MiB + 1 of 'a')")
    func spansReadChunks() throws {
        let path = try Self.write(Array(repeating: UInt8(ascii: "a"), count: 3 << 20 + 1))
        defer { try? FileManager.default.removeItem(atPath: path) }
        // sha256sum's answer for the same bytes.
        #expect(FileBytes.sha256(path) == "2b98b70051781969f52a33c9cd0e8392bb7a634a92a3be4597b25e13feb41ee6")
    }

    @Test("is nil for a file that cannot be read")
    func missingFile() {
        #expect(FileBytes.sha256("/nonexistent/reldash/\(UUID().uuidString)") == nil)
    }

}
