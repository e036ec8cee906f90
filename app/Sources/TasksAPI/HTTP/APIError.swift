import HTTPTypes
import Hummingbird

/// An error answered to the client as `{"error":{"code","message"}}` with a stable `code` and a message a person
/// can act on. Never carries a stack trace, a query or a secret.
public struct APIError: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    /// Extra headers (e.g. `Retry-After`, `Allow`).
    public var headers: [String: String]

    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    static func notFound(_ what: String) -> APIError {
        APIError(.notFound, code: "not_found", message: what)
    }

    static func invalidID(_ text: String) -> APIError {
        APIError(
            .badRequest, code: "invalid_id",
            message: "task id must be a UUID such as 3f2b8a8e-0c1d-4f6a-9a57-2b7f1d0e9c44, got \"\(text.prefix(40))\"")
    }

    static func databaseUnavailable() -> APIError {
        APIError(
            .serviceUnavailable,
            code: "database_unavailable",
            message: "the database is unavailable; nothing was changed, retry later",
            headers: ["Retry-After": "5"]
        )
    }

    static let unexpected = APIError(
        .internalServerError,
        code: "internal_error",
        message: "unexpected error; it was logged with this request's X-Request-ID"
    )
}
