import Hummingbird
import Logging

/// Per-request context: Hummingbird's core storage plus the request id echoed in `X-Request-ID` and in every log
/// line of the request.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var requestID: String

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.requestID = ""
    }
}
