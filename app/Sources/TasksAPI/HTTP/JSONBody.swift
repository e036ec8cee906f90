import HTTPTypes
import Hummingbird
import NIOCore
import TasksDomain

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads JSON request bodies and writes JSON responses.
enum JSONBody {
    /// The request body as a ``JSONValue``: checks the content type and the size limit before parsing.
    static func read(_ request: Request, limit: Int) async throws -> JSONValue {
        let contentType = request.headers[.contentType] ?? ""
        let mediaType = contentType.split(separator: ";").first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        }
        guard mediaType == "application/json" else {
            throw APIError(
                .unsupportedMediaType,
                code: "unsupported_media_type",
                message: "send the body as JSON with Content-Type: application/json"
            )
        }
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > limit {
            throw tooLarge(limit)
        }
        let body = request.body
        let buffer: ByteBuffer
        do {
            buffer = try await body.collect(upTo: limit)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            throw tooLarge(limit)
        }
        guard buffer.readableBytes > 0 else {
            throw APIError(.badRequest, code: "malformed_json", message: "request body is empty; send a JSON object")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: Data(buffer.readableBytesView))
        } catch {
            throw APIError(
                .badRequest,
                code: "malformed_json",
                message: "request body is not valid JSON (UTF-8, no trailing data, no lone surrogates)"
            )
        }
    }

    private static func tooLarge(_ limit: Int) -> APIError {
        APIError(.contentTooLarge, code: "payload_too_large", message: "request body is larger than \(limit) bytes")
    }

    /// A JSON response with the given status.
    static func response(
        _ value: some JSONWritable,
        status: HTTPResponse.Status = .ok,
        headers extra: HTTPFields = [:]
    ) -> Response {
        var json = JSONOutput()
        value.write(to: &json)
        var headers = extra
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: json.bytes)))
    }

    /// The body `{"error":{"code","message"}}` for an ``APIError``.
    static func response(for error: APIError) -> Response {
        var headers = HTTPFields()
        for (name, value) in error.headers {
            if let field = HTTPField.Name(name) { headers[field] = value }
        }
        return response(
            ErrorEnvelope(error: .init(code: error.code, message: error.message)), status: error.status,
            headers: headers)
    }
}

/// The JSON shape of every error response.
struct ErrorEnvelope: JSONWritable {
    struct Detail: JSONWritable {
        let code: String
        let message: String

        func write(to json: inout JSONOutput) {
            json.beginObject()
            json.key("code")
            json.string(code)
            json.key("message")
            json.string(message)
            json.endObject()
        }
    }

    let error: Detail

    func write(to json: inout JSONOutput) {
        json.beginObject()
        json.key("error")
        error.write(to: &json)
        json.endObject()
    }
}
