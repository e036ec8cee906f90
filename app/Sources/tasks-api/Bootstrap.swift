import ArgumentParser
import Logging
import TasksAPI

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Reads the whole configuration or exits 78 with every problem listed on stderr.
func loadConfiguration() throws -> AppConfig {
    do {
        return try AppConfig.load(from: ProcessInfo.processInfo.environment)
    } catch {
        printError("tasks-api: \(error)")
        throw ExitCode(ExitStatus.configuration.rawValue)
    }
}

/// Installs the JSON or text log handler on stdout and returns the service's logger.
func bootstrapLogging(_ settings: LogSettings) -> Logger {
    LoggingSystem.bootstrap { label in
        LogLineHandler(label: label, format: settings.format, level: settings.level)
    }
    return Logger(label: "tasks-api")
}

func printError(_ message: String) {
    StandardStream.error.write(message + "\n")
}
