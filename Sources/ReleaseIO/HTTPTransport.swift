import Foundation
import ReleaseCore
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// One HTTP GET with a deadline. A protocol so that the Prometheus client can be tested with a
/// scripted transport as well as against a live server.
public protocol HTTPTransport: Sendable {
    /// GETs `url`; the answer's status and body, or a failure when there is no complete answer
    /// within `timeout` seconds (the call returns by then, whatever the server does).
    func get(_ url: URL, timeout: Double) async throws(PrometheusFailure) -> (status: Int, body: [UInt8])
}

/// `HTTPTransport` over Foundation's URLSession (libcurl on Linux). Chosen over AsyncHTTPClient
/// because it adds nothing to the build (see docs/reldash.md for the measurements); the
/// deadline is enforced here, not left to the session's idle timeouts.
public final class URLSessionTransport: HTTPTransport {
    private let session: URLSession

    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 8
        session = URLSession(configuration: configuration)
    }

    deinit {
        session.invalidateAndCancel()
    }

    public func get(_ url: URL, timeout: Double) async throws(PrometheusFailure) -> (status: Int, body: [UInt8]) {
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let box = TaskBox()
        let outcome: Result<(Int, [UInt8]), PrometheusFailure> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let once = ResumeOnce(continuation)
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        once.resume(.failure(URLSessionTransport.failure(error, timeout: timeout)))
                    } else if let http = response as? HTTPURLResponse {
                        once.resume(.success((http.statusCode, [UInt8](data ?? Data()))))
                    } else {
                        once.resume(.failure(.malformed("no HTTP response")))
                    }
                }
                box.set(task)
                task.resume()
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) {
                    once.resume(.failure(.timedOut(seconds: timeout)))
                    task.cancel()
                }
            }
        } onCancel: {
            box.cancel()
        }
        return try outcome.get()
    }

    private static func failure(_ error: any Error, timeout: Double) -> PrometheusFailure {
        let nsError = error as NSError
        guard nsError.domain == NSURLErrorDomain else { return .unreachable(nsError.localizedDescription) }
        switch nsError.code {
        case NSURLErrorTimedOut: return .timedOut(seconds: timeout)
        case NSURLErrorCancelled: return .timedOut(seconds: timeout)
        case NSURLErrorCannotConnectToHost: return .unreachable("connection refused")
        case NSURLErrorCannotFindHost, NSURLErrorDNSLookupFailed: return .unreachable("host not found")
        case NSURLErrorNetworkConnectionLost: return .unreachable("connection closed before the answer")
        case NSURLErrorBadServerResponse:
            return .unreachable("no HTTP answer (connection closed, or not an HTTP server)")
        default:
            let underlying = (nsError.userInfo[NSUnderlyingErrorKey] as? NSError)?.localizedDescription
            return .unreachable(underlying ?? "URL error \(nsError.code)")
        }
    }
}

/// Resumes a continuation exactly once: the first of answer, deadline or cancellation wins.
private final class ResumeOnce: Sendable {
    private let continuation: Mutex<CheckedContinuation<Result<(Int, [UInt8]), PrometheusFailure>, Never>?>

    init(_ continuation: CheckedContinuation<Result<(Int, [UInt8]), PrometheusFailure>, Never>) {
        self.continuation = Mutex(continuation)
    }

    func resume(_ result: Result<(Int, [UInt8]), PrometheusFailure>) {
        let pending = continuation.withLock { continuation in
            defer { continuation = nil }
            return continuation
        }
        pending?.resume(returning: result)
    }
}

/// Holds the running task so a Swift task cancellation can cancel it.
private final class TaskBox: Sendable {
    private struct State {
        var task: URLSessionDataTask?
        var cancelled = false
    }

    private let state = Mutex(State())

    func set(_ task: URLSessionDataTask) {
        let cancelNow = state.withLock { state in
            state.task = task
            return state.cancelled
        }
        if cancelNow { task.cancel() }
    }

    func cancel() {
        let running = state.withLock { state in
            state.cancelled = true
            return state.task
        }
        running?.cancel()
    }
}
