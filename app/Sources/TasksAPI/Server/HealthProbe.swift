import NIOCore
import NIOHTTP1
import NIOPosix

/// Asks a running server whether it is alive, without a shell or curl: this is what the container's HEALTHCHECK runs.
public struct HealthProbe: Sendable {
    /// Why a probe did not get a healthy answer.
    public enum Failure: Error, CustomStringConvertible, Sendable {
        case unreachable(host: String, port: Int, reason: String)
        case unhealthy(status: UInt)
        case timedOut(seconds: Double)
        case malformedResponse

        public var description: String {
            switch self {
            case .unreachable(let host, let port, let reason):
                return "cannot connect to \(host):\(port) (\(reason)); is the server running on that port?"
            case .unhealthy(let status):
                return "server answered HTTP \(status) instead of 200"
            case .timedOut(let seconds):
                return "no answer within \(seconds) s"
            case .malformedResponse:
                return "the answer was not an HTTP response"
            }
        }
    }

    let host: String
    let port: Int
    let path: String
    let timeout: Duration

    /// Creates a probe of `http://host:port/path` that gives up after `timeout`.
    public init(host: String = "127.0.0.1", port: Int, path: String = "/healthz", timeout: Duration = .seconds(3)) {
        self.host = host
        self.port = port
        self.path = path
        self.timeout = timeout
    }

    /// Sends one GET and returns normally when the answer is 200; throws a ``Failure`` otherwise.
    public func check() async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.request() }
            group.addTask {
                try await Task.sleep(for: self.timeout)
                throw Failure.timedOut(seconds: self.timeout.secondsValue)
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func request() async throws {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.milliseconds(max(1, timeout.wholeMilliseconds)))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel
                        )
                    }
                }
        } catch {
            throw Failure.unreachable(host: host, port: port, reason: "\(error)")
        }
        let status = try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path)
            head.headers.add(name: "Host", value: "\(host):\(port)")
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "User-Agent", value: "tasks-api-healthcheck")
            try await outbound.write(.head(head))
            try await outbound.write(.end(nil))
            for try await part in inbound {
                if case .head(let response) = part {
                    return response.status.code
                }
            }
            throw Failure.malformedResponse
        }
        guard status == 200 else { throw Failure.unhealthy(status: status) }
    }
}
