import ArgumentParser

/// The `tasks-api` binary: the HTTP service and its operational subcommands.
@main
struct TasksAPICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tasks-api",
        abstract: "A small tasks API (Hummingbird + PostgreSQL), configured from the environment.",
        discussion: """
            Configuration comes from environment variables only (see docs/api.md). Exit codes: 0 done, \
            1 failed, 69 database unavailable at start-up, 78 invalid configuration.
            """,
        subcommands: [Serve.self, Migrate.self, Healthcheck.self],
        defaultSubcommand: Serve.self
    )
}
