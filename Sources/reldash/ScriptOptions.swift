import ArgumentParser

/// Options of the commands that run a deploy script.
struct ScriptOptions: ParsableArguments {
    @Flag(name: .long, help: "Do not ask for confirmation (required when stdin is not a terminal).")
    var yes = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Directory holding deploy_local.sh and rollback.sh (default: RELDASH_SCRIPTS_DIR, then ./scripts).",
            valueName: "dir"))
    var scriptsDir: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "On Ctrl-C or SIGTERM: seconds the script gets after SIGTERM before SIGKILL.",
            valueName: "seconds"))
    var grace = 10.0

    @Argument(
        parsing: .postTerminator,
        help: ArgumentHelp("Extra arguments passed to the script after '--' (e.g. -- --no-build).", valueName: "args"))
    var passthrough: [String] = []

    func validate() throws {
        guard grace >= 0, grace <= 600 else { throw ValidationError("--grace must be between 0 and 600 seconds") }
    }
}
