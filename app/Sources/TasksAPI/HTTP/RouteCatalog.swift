import HTTPTypes

/// Every endpoint of the service as `(method, template)`. It answers 404 and 405 before routing and names the
/// `route` label of metrics and logs, so a label is always a template, never a raw path.
public struct RouteCatalog: Sendable {
    /// Label used for requests that match no endpoint.
    public static let unmatched = "unmatched"

    struct Entry: Sendable {
        let method: HTTPRequest.Method
        let template: String
        let segments: [Substring]
    }

    private(set) var entries: [Entry] = []

    public init() {}

    mutating func add(_ method: HTTPRequest.Method, _ template: String) {
        entries.append(Entry(method: method, template: template, segments: Self.segments(of: template)))
    }

    /// What the catalog says about a request.
    enum Match: Equatable {
        case endpoint(template: String)
        case wrongMethod(template: String, allowed: [String])
        case none
    }

    func match(method: HTTPRequest.Method, path: String) -> Match {
        let parts = Self.segments(of: path)
        let candidates = entries.filter { Self.matches($0.segments, parts) }
        guard let first = candidates.first else { return .none }
        if candidates.contains(where: { $0.method == method }) {
            return .endpoint(template: first.template)
        }
        let allowed = candidates.map(\.method.rawValue)
        return .wrongMethod(template: first.template, allowed: allowed)
    }

    private static func segments(of path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: true)
    }

    private static func matches(_ template: [Substring], _ path: [Substring]) -> Bool {
        guard template.count == path.count else { return false }
        return zip(template, path).allSatisfy { pattern, part in
            (pattern.hasPrefix("{") && pattern.hasSuffix("}")) || pattern == part
        }
    }
}
