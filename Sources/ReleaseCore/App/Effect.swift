/// A side effect as data: what a pure `reduce` asks for. `EffectRunner` (ReleaseApp) runs it over
/// the ReleaseIO protocols and sends back `EffectOutcome`s, so the dashboard's logic is tested
/// without a disk, a network or a script.
public enum Effect: Equatable, Sendable {
    /// Read the deploy directory.
    case readDeployTree(CatalogScope)
    /// Query Prometheus for every health series over the last `range` seconds, `points` points each.
    case fetchHealth(range: Double, points: Int)
    /// Recompute the sha256 of every artifact of a release.
    case checkArtifacts(Release)
    /// Run a deploy or rollback script (confirmed before: effects are never asked twice).
    case runScript(ScriptAction)
    /// Stop the running script, as if reldash had received `signal`.
    case stopScript(signal: Int32)
    /// Send a `tick` after `seconds`.
    case scheduleTick(after: Double)
}

/// What came back from an `Effect`.
public enum EffectOutcome: Equatable, Sendable {
    case deployTreeRead(Result<DeploySnapshot, AppFailure>)
    case healthFetched(HealthSnapshot)
    case artifactsChecked(ReleaseID, [ArtifactCheck])
    /// One event of the running script (many per `runScript`).
    case script(ScriptEvent)
    /// The script could not be started (missing, not executable, another one running).
    case scriptRefused(AppFailure)
    case tick(Timestamp)
}
