import CLibCurl
import ReleaseCore
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One HTTP GET with a deadline. A protocol so that the Prometheus client can be tested with a
/// scripted transport as well as against a live server.
public protocol HTTPTransport: Sendable {
    /// GETs `url`; the answer's status and body, or a failure when there is no complete answer
    /// within `timeout` seconds (the call returns by then, whatever the server does).
    func get(_ url: URL, timeout: Double) async throws(PrometheusFailure) -> (status: Int, body: [UInt8])
}

/// `HTTPTransport` over libcurl's easy interface: each GET is one `curl_easy_perform` on a thread
/// of its own, which sleeps in poll(2) until the answer or the deadline (`CURLOPT_TIMEOUT_MS`).
/// Replaces URLSession (FoundationNetworking drives libcurl's multi interface from libdispatch):
/// measured against a server that accepts and never answers, a 10 s wait cost URLSession 6.6 s of
/// CPU (13,000 epoll_ctl and 6,600 poll calls in 3 s), this transport 0.01 s (docs/reldash.md).
public final class CurlTransport: HTTPTransport {
    /// Answers larger than this are refused (a Prometheus answer for reldash is a few KiB).
    public static let largestAnswer = 32 << 20

    private static let initialised: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK

    public init() {}

    public func get(_ url: URL, timeout: Double) async throws(PrometheusFailure) -> (status: Int, body: [UInt8]) {
        guard Self.initialised else { throw .unreachable("libcurl could not be initialised") }
        let transfer = CurlTransfer(url: url.absoluteString, timeout: timeout)
        let outcome = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<CurlTransfer.Outcome, Never>) in
                let started = startDetachedThread(named: "reldash-http") {
                    continuation.resume(returning: transfer.perform())
                }
                if !started { continuation.resume(returning: .failure(.unreachable("no thread for the request"))) }
            }
        } onCancel: {
            transfer.cancel()
        }
        return try outcome.get()
    }
}

/// One transfer: its settings, and the cancellation flag libcurl's progress callback reads.
private final class CurlTransfer: Sendable {
    typealias Outcome = Result<(status: Int, body: [UInt8]), PrometheusFailure>

    let url: String
    let timeout: Double
    let cancelled = Atomic<Bool>(false)

    init(url: String, timeout: Double) {
        self.url = url
        self.timeout = timeout
    }

    func cancel() {
        cancelled.store(true, ordering: .relaxed)
    }

    /// Runs the whole transfer on the calling thread (blocks until the answer or the deadline).
    func perform() -> Outcome {
        guard let handle = curl_easy_init() else { return .failure(.unreachable("libcurl could not start a transfer")) }
        defer { curl_easy_cleanup(handle) }
        let sink = AnswerSink(transfer: self)
        let context = Unmanaged.passUnretained(sink).toOpaque()
        let headers = curl_slist_append(nil, "Accept: application/json")
        defer { curl_slist_free_all(headers) }
        let milliseconds = max(1, Int((timeout * 1000).rounded(.up)))
        var errorText = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let code = errorText.withUnsafeMutableBufferPointer { errorBuffer -> CURLcode in
            reldash_curl_set_string(handle, CURLOPT_URL, url)
            reldash_curl_set_string(handle, CURLOPT_PROTOCOLS_STR, "http,https")
            reldash_curl_set_string(handle, CURLOPT_ACCEPT_ENCODING, "")
            reldash_curl_set_long(handle, CURLOPT_NOSIGNAL, 1)
            reldash_curl_set_long(handle, CURLOPT_TIMEOUT_MS, milliseconds)
            reldash_curl_set_long(handle, CURLOPT_CONNECTTIMEOUT_MS, milliseconds)
            reldash_curl_set_headers(handle, headers)
            reldash_curl_set_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer.baseAddress)
            reldash_curl_set_write(handle, curlWrite)
            reldash_curl_set_pointer(handle, CURLOPT_WRITEDATA, context)
            reldash_curl_set_long(handle, CURLOPT_NOPROGRESS, 0)
            reldash_curl_set_progress(handle, curlProgress)
            reldash_curl_set_pointer(handle, CURLOPT_XFERINFODATA, context)
            return withExtendedLifetime(sink) { curl_easy_perform(handle) }
        }
        guard code == CURLE_OK else {
            let detail = String(decoding: errorText.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            return .failure(failure(code, handle: handle, detail: detail, sink: sink))
        }
        var status = 0
        guard reldash_curl_get_long(handle, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK, status > 0 else {
            return .failure(.malformed("no HTTP status"))
        }
        return .success((status, sink.body))
    }

    private func failure(_ code: CURLcode, handle: UnsafeMutableRawPointer, detail: String, sink: AnswerSink)
        -> PrometheusFailure
    {
        switch code {
        case CURLE_OPERATION_TIMEDOUT, CURLE_ABORTED_BY_CALLBACK:
            return .timedOut(seconds: timeout)
        case CURLE_COULDNT_CONNECT:
            var osError = 0
            _ = reldash_curl_get_long(handle, CURLINFO_OS_ERRNO, &osError)
            if osError == Int(ECONNREFUSED) { return .unreachable("connection refused") }
            return .unreachable(osError == 0 ? "could not connect" : String(cString: strerror(Int32(osError))))
        case CURLE_COULDNT_RESOLVE_HOST:
            return .unreachable("host not found")
        case CURLE_GOT_NOTHING, CURLE_WEIRD_SERVER_REPLY:
            return .unreachable("no HTTP answer (connection closed, or not an HTTP server)")
        case CURLE_RECV_ERROR, CURLE_PARTIAL_FILE:
            return .unreachable("connection closed before the answer")
        case CURLE_WRITE_ERROR where sink.tooLarge:
            return .malformed("answer larger than \(CurlTransport.largestAnswer >> 20) MiB")
        default:
            return .unreachable(detail.isEmpty ? String(cString: curl_easy_strerror(code)) : detail)
        }
    }
}

/// Where libcurl's callbacks write, on the transfer's thread only.
private final class AnswerSink {
    let transfer: CurlTransfer
    var body: [UInt8] = []
    var tooLarge = false

    init(transfer: CurlTransfer) {
        self.transfer = transfer
    }
}

/// CURLOPT_WRITEFUNCTION: appends a piece of the body; returning less than given stops the transfer.
private func curlWrite(
    data: UnsafeMutablePointer<CChar>?, size: Int, count: Int, context: UnsafeMutableRawPointer?
) -> Int {
    guard let data, let context else { return 0 }
    let sink = Unmanaged<AnswerSink>.fromOpaque(context).takeUnretainedValue()
    let length = size * count
    guard sink.body.count + length <= CurlTransport.largestAnswer else {
        sink.tooLarge = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) {
        sink.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length))
    }
    return length
}

/// CURLOPT_XFERINFOFUNCTION: a non-zero answer aborts the transfer (Swift task cancelled).
private func curlProgress(
    context: UnsafeMutableRawPointer?, downloadTotal: curl_off_t, downloaded: curl_off_t, uploadTotal: curl_off_t,
    uploaded: curl_off_t
) -> Int32 {
    guard let context else { return 0 }
    let sink = Unmanaged<AnswerSink>.fromOpaque(context).takeUnretainedValue()
    return sink.transfer.cancelled.load(ordering: .relaxed) ? 1 : 0
}
