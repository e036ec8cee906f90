#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads a secret mounted as a file (Docker secrets, `DATABASE_PASSWORD_FILE`).
public enum SecretFile {
    /// Why a secret file could not be used.
    public enum Failure: Error, CustomStringConvertible {
        case unreadable(path: String)
        case notUTF8(path: String)

        public var description: String {
            switch self {
            case .unreadable(let path): return "no readable file at \(path); check the mount and its permissions"
            case .notUTF8(let path): return "\(path) is not UTF-8 text"
            }
        }
    }

    /// The file's text, as is.
    public static func read(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw Failure.unreadable(path: path) }
        guard let text = String(data: data, encoding: .utf8) else { throw Failure.notUTF8(path: path) }
        return text
    }

    /// Secret files usually end with one newline written by an editor or `echo`; it is not part of the secret.
    static func trimmingFinalNewline(_ text: String) -> String {
        var text = Substring(text)
        if text.hasSuffix("\n") { text = text.dropLast() }
        if text.hasSuffix("\r") { text = text.dropLast() }
        return String(text)
    }
}
