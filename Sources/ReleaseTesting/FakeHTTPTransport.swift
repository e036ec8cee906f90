import ReleaseCore
import ReleaseIO
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// HTTP without a server: answers by URL path (`/api/v1/query_range`), records every URL asked.
/// A path with no answer fails as a refused connection.
public final class FakeHTTPTransport: HTTPTransport {
    /// An answer for one path.
    public enum Answer: Sendable {
        case body(status: Int, String)
        case failure(PrometheusFailure)
    }

    private let answers: [String: Answer]
    private let asked = Mutex<[URL]>([])

    public init(_ answers: [String: Answer]) {
        self.answers = answers
    }

    /// Every URL asked, in order.
    public var requests: [URL] {
        asked.withLock { $0 }
    }

    public func get(_ url: URL, timeout: Double) async throws(PrometheusFailure) -> (status: Int, body: [UInt8]) {
        asked.withLock { $0.append(url) }
        switch answers[url.path] {
        case .body(let status, let text)?: return (status, Array(text.utf8))
        case .failure(let failure)?: throw failure
        case nil: throw .unreachable("connection refused")
        }
    }
}
