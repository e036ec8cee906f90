import ReleaseCore
import ReleaseIO

extension AppServices {
    /// A deploy of the working tree, ready to confirm.
    public func deployRequest(environment: String?, passthrough: [String]) throws(AppFailure) -> ScriptRequest {
        let snapshot = try snapshot(.summary)
        return try request(.deploy(environment: environment, passthrough: passthrough), snapshot: snapshot)
    }

    /// A rollback to `target`, or to the default target of the rule when nil, ready to confirm;
    /// refused (exit 3) when there is no valid target.
    public func rollbackRequest(to target: ReleaseID?, passthrough: [String]) throws(AppFailure) -> ScriptRequest {
        let snapshot = try snapshot(target.map { .release($0) } ?? .summary)
        let catalog = snapshot.catalog
        let choice = target.map { catalog.checkRollbackTarget($0) } ?? catalog.rollbackCandidate
        switch choice {
        case .release(let id):
            return try request(.rollback(to: id, passthrough: passthrough), snapshot: snapshot)
        case .none(let refusal):
            throw AppFailure(code: refusal.code.rawValue, message: "no rollback: \(refusal)", status: .precondition)
        }
    }

    /// The request of `action` against `snapshot` (what the dashboard calls after its own dialog).
    public func request(_ action: ScriptAction, snapshot: DeploySnapshot) throws(AppFailure) -> ScriptRequest {
        let arguments: [String]
        let name: String
        switch action {
        case .deploy(let environment, let passthrough):
            name = "deploy_local.sh"
            arguments = (environment.map { ["--env", $0] } ?? []) + passthrough
        case .rollback(let target, let passthrough):
            name = "rollback.sh"
            arguments = ["--to", target.rawValue] + passthrough
        }
        let path = scriptsDirectory + "/" + name
        guard isExecutable(path) else {
            throw AppFailure(
                code: "script_missing",
                message:
                    "\(path) is missing or not executable: run reldash from the repository root, or pass --scripts-dir",
                status: .precondition)
        }
        return ScriptRequest(
            action: action,
            invocation: ScriptInvocation(
                path: path, arguments: arguments, environment: ["DEPLOY_DIR": AppServices.absolute(settings.deployDir)]),
            deployDir: snapshot.path, currentBefore: snapshot.catalog.current?.id, lock: snapshot.lock)
    }

    /// Starts a confirmed request.
    public func start(_ request: ScriptRequest, grace: Double) -> ScriptRun {
        ScriptRun.start(request, runner: scripts, tree: tree, grace: grace)
    }
}
