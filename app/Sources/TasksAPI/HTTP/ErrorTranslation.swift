import HTTPTypes
import Hummingbird
import Logging
import TasksDomain

/// Maps every error a handler can throw to the ``APIError`` the client sees.
enum ErrorTranslation {
    static func apiError(for error: any Error, logger: Logger) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as ValidationError:
            return APIError(.unprocessableContent, code: "validation_failed", message: error.description)
        case let error as PageRequestError:
            switch error {
            case .invalidLimit: return APIError(.badRequest, code: "invalid_limit", message: error.description)
            case .invalidCursor: return APIError(.badRequest, code: "invalid_cursor", message: error.description)
            }
        case let error as TitleSearchError:
            return APIError(.badRequest, code: "invalid_query", message: error.description)
        case let error as StoreError:
            switch error {
            case .unavailable, .timedOut:
                logger.warning("database unavailable", metadata: ["error": "\(error)"])
                return .databaseUnavailable()
            case .failed:
                logger.error("database error", metadata: ["error": "\(error)"])
                return .unexpected
            }
        case let error as any HTTPResponseError:
            return fromHTTPStatus(error.status)
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: type(of: error)))"])
            return .unexpected
        }
    }

    /// Errors raised by Hummingbird itself (body too large, unknown route...).
    private static func fromHTTPStatus(_ status: HTTPResponse.Status) -> APIError {
        switch status {
        case .contentTooLarge:
            return APIError(status, code: "payload_too_large", message: "request body is larger than the limit")
        case .notFound:
            return APIError(status, code: "route_not_found", message: "no such endpoint; see /openapi.yaml")
        default:
            return APIError(
                status, code: status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_"),
                message: status.reasonPhrase)
        }
    }
}
