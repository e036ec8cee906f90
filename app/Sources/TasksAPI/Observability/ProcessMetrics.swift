#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The standard `process_*` metrics, read from /proc on each scrape (Linux only; empty elsewhere).
public struct ProcessMetrics: Sendable, Equatable {
    public var cpuSecondsTotal: Double
    public var residentMemoryBytes: Int
    public var startTimeSeconds: Double
    public var openFileDescriptors: Int

    /// Reads the current process; nil where /proc is not available.
    public static func current() -> ProcessMetrics? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let systemStat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8)
        else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let fds = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 0
        return parse(stat: stat, systemStat: systemStat, ticksPerSecond: ticks, pageSize: pageSize, openFDs: fds)
    }

    /// Builds the metrics from the text of /proc/self/stat and /proc/stat (fields per proc(5)).
    static func parse(
        stat: String,
        systemStat: String,
        ticksPerSecond: Double,
        pageSize: Int,
        openFDs: Int
    ) -> ProcessMetrics? {
        // The command name (field 2) is in parentheses and may contain spaces: split after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state); field N is fields[N - 3].
        guard fields.count > 21, let utime = Double(fields[11]), let stime = Double(fields[12]),
            let startTicks = Double(fields[19]), let rssPages = Int(fields[21]), ticksPerSecond > 0
        else { return nil }
        guard let bootLine = systemStat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
            let bootTime = Double(bootLine.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return ProcessMetrics(
            cpuSecondsTotal: (utime + stime) / ticksPerSecond,
            residentMemoryBytes: rssPages * pageSize,
            startTimeSeconds: bootTime + startTicks / ticksPerSecond,
            openFileDescriptors: openFDs
        )
    }

    /// The Prometheus text exposition of these four metrics.
    public var exposition: String {
        let metrics: [(ExportedMetric, type: String, help: String, value: String)] = [
            (.processCPUSeconds, "counter", "Total user and system CPU time spent in seconds.", "\(cpuSecondsTotal)"),
            (.processResidentMemory, "gauge", "Resident memory size in bytes.", "\(residentMemoryBytes)"),
            (
                .processStartTime, "gauge", "Start time of the process since unix epoch in seconds.",
                "\(startTimeSeconds)"
            ),
            (.processOpenFileDescriptors, "gauge", "Number of open file descriptors.", "\(openFileDescriptors)"),
        ]
        return metrics.map { metric, type, help, value in
            "# HELP \(metric.name) \(help)\n# TYPE \(metric.name) \(type)\n\(metric.name) \(value)\n"
        }.joined()
    }
}
