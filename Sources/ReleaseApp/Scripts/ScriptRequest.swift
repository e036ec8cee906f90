import ReleaseCore
import ReleaseIO

/// A script run, fully decided but not started: what will run, against which tree, and the
/// question to confirm. A front end shows it (a `[y/N]` prompt, a dialog) and only then starts it.
public struct ScriptRequest: Equatable, Sendable {
    public let action: ScriptAction
    /// The script's absolute path, its arguments and `DEPLOY_DIR`.
    public let invocation: ScriptInvocation
    /// The deploy directory as given in the settings (for messages).
    public let deployDir: String
    /// The current release before the run (nil: none).
    public let currentBefore: ReleaseID?
    /// Who holds deploy/.lock, if anyone (the script refuses when the lock is live).
    public let lock: LockHolder?

    public init(
        action: ScriptAction, invocation: ScriptInvocation, deployDir: String, currentBefore: ReleaseID?,
        lock: LockHolder?
    ) {
        self.action = action
        self.invocation = invocation
        self.deployDir = deployDir
        self.currentBefore = currentBefore
        self.lock = lock
    }

    /// `deploy` or `rollback`.
    public var command: String { action.command }

    /// The question a person answers before the run.
    public var question: String {
        let current = currentBefore?.rawValue ?? "none"
        switch action {
        case .deploy(let environment, _):
            return "Deploy the working tree to '\(environment ?? "dev")' in \(deployDir) (current: \(current))?"
        case .rollback(let target, _):
            return "Roll back from \(current) to \(target) in \(deployDir)?"
        }
    }

    /// Exactly what will run, as a shell would show it: `scripts/rollback.sh --to ID`.
    public var commandLine: String {
        ([invocation.path] + invocation.arguments).joined(separator: " ")
    }

    /// How to confirm this run: go ahead (`--yes`), ask the person, or refuse (no one to ask).
    public func confirmation(assumeYes: Bool, canAsk: Bool) -> Confirmation {
        if assumeYes { return .proceed }
        guard canAsk else {
            return .refuse(
                AppFailure(
                    code: "confirmation_required",
                    message: "refusing to \(command) without confirmation: stdin is not a terminal; pass --yes",
                    status: .usage))
        }
        return .ask(question)
    }

    /// The failure when the person answered no.
    public var notConfirmed: AppFailure {
        AppFailure(code: "not_confirmed", message: "\(command) cancelled: not confirmed", status: .usage)
    }
}

/// The decision before a script run.
public enum Confirmation: Equatable, Sendable {
    case proceed
    /// Ask this question; run only on yes.
    case ask(String)
    case refuse(AppFailure)

    /// True for the answers that mean yes (`y`, `yes`, any case, blanks around).
    public static func isYes(_ answer: String) -> Bool {
        let word = answer.trimmingWhitespace().lowercased()
        return word == "y" || word == "yes"
    }
}
