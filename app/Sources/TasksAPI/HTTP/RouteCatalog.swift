import HTTPTypes

/// Every endpoint of the service as `(method, template)`. It answers 404 and 405 before routing and names the
/// `route` label of metrics and logs, so a label is always a template, never a raw path.
public struct RouteCatalog: Sendable {
    /// Label used for requests that match no endpoint.
    public static let unmatched = "unmatched"

    struct Entry: Sendable {
        let method: HTTPRequest.Method
        let template: String
        let segments: [Segment]
    }

    /// One `/`-separated part of a template: fixed text, or `{name}` that matches any one non-empty part.
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter
    }

    private(set) var entries: [Entry] = []

    public init() {}

    mutating func add(_ method: HTTPRequest.Method, _ template: String) {
        let segments = template.split(separator: "/").map { part -> Segment in
            part.hasPrefix("{") && part.hasSuffix("}") ? .parameter : .literal(String(part))
        }
        entries.append(Entry(method: method, template: template, segments: segments))
    }

    /// What the catalog says about a request.
    enum Match: Equatable {
        case endpoint(template: String)
        case wrongMethod(template: String, allowed: [String])
        case none
    }

    /// Runs on every request: compares bytes, and builds the list of allowed methods only for a 405.
    func match(method: HTTPRequest.Method, path: String) -> Match {
        let parts = path.utf8.split(separator: UInt8(ascii: "/"))
        var first: String?
        for entry in entries where Self.matches(entry.segments, parts) {
            if first == nil { first = entry.template }
            if entry.method == method, let first { return .endpoint(template: first) }
        }
        guard let first else { return .none }
        let allowed = entries.filter { Self.matches($0.segments, parts) }.map(\.method.rawValue)
        return .wrongMethod(template: first, allowed: allowed)
    }

    private static func matches(_ template: [Segment], _ path: [Substring.UTF8View]) -> Bool {
        guard template.count == path.count else { return false }
        for (segment, part) in zip(template, path) {
            if case .literal(let text) = segment, !part.elementsEqual(text.utf8) { return false }
        }
        return true
    }
}
