import ReleaseCore
import ReleaseIO
import Synchronization

/// An in-memory deploy directory: the snapshot it answers is set by the test (and can change while
/// a fake script runs, to check that `current` is read again). Records the scopes asked for.
public final class FakeDeployTree: DeployTreeReading {
    private struct State {
        var snapshot: Result<DeploySnapshot, DeployReadError>
        var documents: [ReleaseID: JSONValue] = [:]
        var artifacts: [ReleaseID: [ArtifactCheck]] = [:]
        var scopes: [CatalogScope] = []
    }

    private let state: Mutex<State>

    public init(_ snapshot: DeploySnapshot) {
        state = Mutex(State(snapshot: .success(snapshot)))
    }

    /// A tree that cannot be read (missing, not a directory, unreadable).
    public init(failing error: DeployReadError) {
        state = Mutex(State(snapshot: .failure(error)))
    }

    /// Replaces what the tree answers from now on.
    public func set(_ snapshot: DeploySnapshot) {
        state.withLock { $0.snapshot = .success(snapshot) }
    }

    /// The manifest document and artifact checks `show` gets for `id`.
    public func set(document: JSONValue?, artifacts: [ArtifactCheck], for id: ReleaseID) {
        state.withLock {
            $0.documents[id] = document
            $0.artifacts[id] = artifacts
        }
    }

    /// Every scope asked for, in order.
    public var scopesRead: [CatalogScope] {
        state.withLock { $0.scopes }
    }

    public func snapshot(scope: CatalogScope) throws(DeployReadError) -> DeploySnapshot {
        let result = state.withLock { state in
            state.scopes.append(scope)
            return state.snapshot
        }
        return try result.get()
    }

    public func manifestDocument(_ id: ReleaseID) -> JSONValue? {
        state.withLock { $0.documents[id] }
    }

    public func checkArtifacts(of release: Release) -> [ArtifactCheck] {
        state.withLock { $0.artifacts[release.id] ?? [] }
    }
}
