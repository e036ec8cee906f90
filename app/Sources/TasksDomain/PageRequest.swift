#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Why a list request's query parameters were refused.
public enum PageRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidLimit(String)
    case invalidCursor

    public var description: String {
        switch self {
        case .invalidLimit(let value):
            return "limit must be an integer from \(PageRequest.limitRange.lowerBound) to "
                + "\(PageRequest.limitRange.upperBound), got \"\(value.prefix(20))\""
        case .invalidCursor:
            return "cursor is not a value returned as next_cursor by this API; start again without a cursor"
        }
    }
}

/// One page of the task list: how many, and after which position (keyset pagination).
public struct PageRequest: Sendable, Equatable {
    public static let limitRange = 1...100
    public static let defaultLimit = 20

    public var limit: Int
    /// Position of the last task already seen; nil for the first page.
    public var after: PageCursor?
    /// Only the tasks whose title matches (flag `task_search`); nil lists every task.
    public var search: TitleSearch?

    public init(limit: Int = PageRequest.defaultLimit, after: PageCursor? = nil, search: TitleSearch? = nil) {
        self.limit = limit
        self.after = after
        self.search = search
    }

    /// Parses the `limit` and `cursor` query parameters (absent means default / first page).
    public static func parse(limit: String?, cursor: String?) throws(PageRequestError) -> PageRequest {
        var request = PageRequest()
        if let limit {
            // Canonical decimal only: no sign, no leading zero, no exponent.
            guard limit.utf8.count <= 3, let value = Int(limit), String(value) == limit, limitRange.contains(value)
            else {
                throw .invalidLimit(limit)
            }
            request.limit = value
        }
        if let cursor {
            guard let position = PageCursor(token: cursor) else { throw .invalidCursor }
            request.after = position
        }
        return request
    }
}

/// An opaque position in the stable order of tasks, given to clients as `next_cursor`.
///
/// The token is base64url of `v1:<position>`; the version prefix lets the format change without breaking old links.
public struct PageCursor: Sendable, Equatable {
    public let position: Int64

    public init(position: Int64) {
        self.position = position
    }

    public init?(token: String) {
        guard token.utf8.count <= 64, let data = Self.decodeBase64URL(token),
            let text = String(data: data, encoding: .utf8), text.hasPrefix("v1:")
        else { return nil }
        let digits = text.dropFirst(3)
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
            let position = Int64(digits), position >= 0
        else { return nil }
        self.position = position
    }

    /// The opaque string given to clients.
    public var token: String {
        let base64 = Data("v1:\(position)".utf8).base64EncodedString()
        return String(
            base64.compactMap { character -> Character? in
                switch character {
                case "+": return "-"
                case "/": return "_"
                case "=": return nil
                default: return character
                }
            }
        )
    }

    private static func decodeBase64URL(_ token: String) -> Data? {
        guard token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
            return nil
        }
        var base64 = String(token.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        base64 += String(repeating: "=", count: (4 - base64.utf8.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}
