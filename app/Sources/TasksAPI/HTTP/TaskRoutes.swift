import HTTPTypes
import Hummingbird
import TasksDomain

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The `tasks` resource under `/api/v1/tasks`.
struct TaskRoutes: Sendable {
    static let collection = "/api/v1/tasks"
    static let item = "/api/v1/tasks/{id}"

    let store: any TaskStore
    let maxBodyBytes: Int
    let features: FeatureFlags

    func register(on router: Router<AppRequestContext>, catalog: inout RouteCatalog) {
        router.post(RouterPath(Self.collection)) { request, context in try await self.create(request, context) }
        router.get(RouterPath(Self.collection)) { request, context in try await self.list(request, context) }
        router.get(RouterPath(Self.item)) { request, context in try await self.get(request, context) }
        router.patch(RouterPath(Self.item)) { request, context in try await self.update(request, context) }
        router.delete(RouterPath(Self.item)) { request, context in try await self.delete(request, context) }
        catalog.add(.post, Self.collection)
        catalog.add(.get, Self.collection)
        catalog.add(.get, Self.item)
        catalog.add(.patch, Self.item)
        catalog.add(.delete, Self.item)
    }

    private func create(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let task = try NewTask.validate(try await JSONBody.read(request, limit: maxBodyBytes))
        let record = try await store.create(task)
        var headers = HTTPFields()
        headers[.location] = "\(Self.collection)/\(record.id.lowercasedText)"
        return JSONBody.response(record, status: .created, headers: headers)
    }

    private func list(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var page = try PageRequest.parse(
            limit: query["limit"].map(String.init),
            cursor: query["cursor"].map(String.init)
        )
        // Without the flag, q is not a parameter of this API: ignored like any unknown parameter.
        if features.isEnabled(.taskSearch), let text = query["q"] {
            page.search = try TitleSearch(parsing: String(text))
        }
        return JSONBody.response(try await store.list(page))
    }

    private func get(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try taskID(context)
        guard let record = try await store.find(id: id) else { throw Self.missing(id) }
        return JSONBody.response(record)
    }

    private func update(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try taskID(context)
        let patch = try TaskPatch.validate(try await JSONBody.read(request, limit: maxBodyBytes))
        guard let record = try await store.update(id: id, with: patch) else { throw Self.missing(id) }
        return JSONBody.response(record)
    }

    private func delete(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try taskID(context)
        guard try await store.delete(id: id) else { throw Self.missing(id) }
        return Response(status: .noContent)
    }

    private func taskID(_ context: AppRequestContext) throws -> UUID {
        let text = context.parameters.get("id") ?? ""
        guard let id = UUID(text: text) else { throw APIError.invalidID(text) }
        return id
    }

    private static func missing(_ id: UUID) -> APIError {
        .notFound("no task with id \(id.lowercasedText)")
    }
}
