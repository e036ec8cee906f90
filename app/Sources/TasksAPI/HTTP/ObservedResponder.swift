import HTTPTypes
import Hummingbird
import Logging

/// The outermost layer of the service, around the router: request id, 404/405 from the ``RouteCatalog``, fault
/// injection, error bodies, metrics and one access-log line per request. Every response leaves through here, so
/// none escapes the error model or the metrics.
struct ObservedResponder<Inner: HTTPResponder>: HTTPResponder where Inner.Context == AppRequestContext {
    let inner: Inner
    let catalog: RouteCatalog
    let metrics: HTTPMetrics
    let faults: FaultInjector

    static var requestIDHeader: HTTPField.Name { HTTPField.Name("X-Request-ID")! }

    func respond(to request: Request, context: AppRequestContext) async throws -> Response {
        let started = ContinuousClock.now
        var context = context
        let requestID = RequestID.resolve(request.headers[Self.requestIDHeader])
        context.requestID = requestID
        context.logger[metadataKey: "hb.request.id"] = nil
        context.logger[metadataKey: "request_id"] = .string(requestID)

        let path = request.uri.path
        var route = RouteCatalog.unmatched
        var response: Response
        switch catalog.match(method: request.method, path: path) {
        case .none:
            response = JSONBody.response(
                for: APIError(.notFound, code: "route_not_found", message: "no endpoint at \(path.prefix(100))")
            )
        case .wrongMethod(let template, let allowed):
            route = template
            response = JSONBody.response(
                for: APIError(
                    .methodNotAllowed,
                    code: "method_not_allowed",
                    message: "\(request.method.rawValue) is not allowed here; use \(allowed.joined(separator: ", "))",
                    headers: ["Allow": allowed.joined(separator: ", ")]
                )
            )
        case .endpoint(let template):
            route = template
            if faults.shouldFail(path: path) {
                response = JSONBody.response(for: FaultInjector.error)
            } else {
                response = await routed(request, context: context)
            }
        }
        response.headers[Self.requestIDHeader] = requestID
        let duration = ContinuousClock.now - started
        let status = Int(response.status.code)
        metrics.record(method: request.method.rawValue, route: route, status: status, duration: duration)
        log(request, route: route, status: status, duration: duration, logger: context.logger)
        return response
    }

    private func routed(_ request: Request, context: AppRequestContext) async -> Response {
        do {
            return try await inner.respond(to: request, context: context)
        } catch {
            return JSONBody.response(for: ErrorTranslation.apiError(for: error, logger: context.logger))
        }
    }

    private func log(_ request: Request, route: String, status: Int, duration: Duration, logger: Logger) {
        let milliseconds = duration.secondsValue * 1000
        // 503 is an expected state (database down, shutting down), not a bug: warn, do not page.
        let level: Logger.Level = status == 503 ? .warning : status >= 500 ? .error : .info
        logger.log(
            level: level,
            "request",
            metadata: [
                "method": .string(request.method.rawValue),
                "route": .string(route),
                "path": .string(String(request.uri.path.prefix(200))),
                "status": .stringConvertible(status),
                "duration_ms": .stringConvertible((milliseconds * 1000).rounded() / 1000),
            ]
        )
    }
}
