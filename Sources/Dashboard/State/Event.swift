import ReleaseCore

/// Everything that can happen to the dashboard: keys, time, data and script output arriving.
/// `reduce` turns each into a new state and the effects to run next.
public enum Event: Equatable, Sendable {
    case key(Key)
    /// A second has passed (polls are counted in ticks).
    case tick(Timestamp)
    case releasesLoaded(Result<DeploySnapshot, AppFailure>)
    case healthLoaded(HealthSnapshot)
    /// The sha256 of every artifact of a release, recomputed.
    case artifactsChecked(ReleaseID, [ArtifactCheck])
    case scriptLine(ScriptOutputLine)
    /// reldash is stopping the running script because of this signal.
    case scriptStopping(Int32)
    case scriptExited(ScriptRunSummary)
    /// The script could not start (missing, not executable, another one running).
    case scriptRefused(AppFailure)
    case resize(FrameSize)
    /// reldash received SIGINT, SIGTERM or SIGHUP: stop the script if one runs, then quit.
    case signal(Int32)
    /// Something failed that the operator should read (shown on the status line).
    case failure(String)

    /// The event an effect's outcome brings back.
    public init(_ outcome: EffectOutcome) {
        switch outcome {
        case .deployTreeRead(let result): self = .releasesLoaded(result)
        case .healthFetched(let health): self = .healthLoaded(health)
        case .artifactsChecked(let id, let checks): self = .artifactsChecked(id, checks)
        case .script(.line(let line)): self = .scriptLine(line)
        case .script(.signal(let number)): self = .scriptStopping(number)
        case .script(.exited(let summary)): self = .scriptExited(summary)
        case .scriptRefused(let failure): self = .scriptRefused(failure)
        case .tick(let time): self = .tick(time)
        }
    }
}
