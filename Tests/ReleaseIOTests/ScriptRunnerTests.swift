import Foundation
import ReleaseIO
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The script runner with real bash scripts written to a temporary directory.
@Suite("Script runner")
struct ScriptRunnerTests {
    /// Collects lines from the runner's callback thread.
    final class Lines: Sendable {
        private let collected = Mutex<[ScriptLine]>([])

        func add(_ line: ScriptLine) {
            collected.withLock { $0.append(line) }
        }

        var all: [ScriptLine] {
            collected.withLock { $0 }
        }

        func text(_ stream: ScriptLine.Stream) -> [String] {
            all.filter { $0.stream == stream }.map(\.text)
        }

        /// Waits (polling, with a deadline) until a line equal to `text` has arrived.
        func wait(for text: String, seconds: Double = 10) async -> Bool {
            let deadline = Date().addingTimeInterval(seconds)
            while Date() < deadline {
                if all.contains(where: { $0.text == text }) { return true }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return false
        }
    }

    static func script(_ body: String) throws -> (path: String, directory: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "reldash-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("script.sh").path
        try Data("#!/usr/bin/env bash\nset -u\n\(body)\n".utf8).write(to: URL(fileURLWithPath: path))
        chmod(path, 0o755)
        return (path, directory.path)
    }

    @Test("streams more than 64 KB on each stream without blocking, and returns the exit code")
    func largeOutput() async throws {
        let (path, directory) = try Self.script(
            """
            padding=$(printf '%0100d' 0)
            for i in $(seq 1 3000); do echo "out $i $padding"; echo "err $i $padding" >&2; done
            printf 'no newline at the end'
            exit 3
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = Lines()
        let exit = try await SubprocessScriptRunner().run(ScriptInvocation(path: path, arguments: []), grace: 2) {
            lines.add($0)
        }
        #expect(exit == ScriptExit(code: 3, signal: nil, cancelled: false))
        let out = lines.text(.stdout)
        #expect(out.count == 3_001)
        #expect(out.first?.hasPrefix("out 1 ") == true)
        #expect(out[2_999].hasPrefix("out 3000 "))
        #expect(out.last == "no newline at the end")
        #expect(lines.text(.stderr).count == 3_000)
        #expect(out.reduce(0) { $0 + $1.utf8.count } > 300_000)
    }

    @Test("passes arguments, environment and working directory")
    func argumentsAndEnvironment() async throws {
        let (path, directory) = try Self.script(#"echo "args=$*"; echo "dir=$DEPLOY_DIR"; pwd"#)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = Lines()
        let invocation = ScriptInvocation(
            path: path, arguments: ["--to", "20261124T170000Z"], environment: ["DEPLOY_DIR": "/tmp/x y"],
            workingDirectory: directory)
        let exit = try await SubprocessScriptRunner().run(invocation, grace: 1) { lines.add($0) }
        #expect(exit.shellCode == 0)
        let resolved = URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
        #expect(lines.text(.stdout) == ["args=--to 20261124T170000Z", "dir=/tmp/x y", resolved])
    }

    @Test("on cancellation a script that traps SIGTERM gets to clean up, with its children stopped")
    func gracefulCancellation() async throws {
        let (path, directory) = try Self.script(
            """
            trap 'echo "cleaning up"; exit 143' TERM
            echo ready
            sleep 30
            echo "not reached"
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = Lines()
        let task = Task {
            try await SubprocessScriptRunner().run(ScriptInvocation(path: path, arguments: []), grace: 5) {
                lines.add($0)
            }
        }
        #expect(await lines.wait(for: "ready"))
        let started = Date()
        task.cancel()
        let exit = try await task.value
        #expect(Date().timeIntervalSince(started) < 4)
        #expect(exit.cancelled)
        #expect(exit.shellCode == 143)
        #expect(lines.text(.stdout) == ["ready", "cleaning up"])
    }

    @Test("a script that ignores SIGTERM is killed after the grace period, children included")
    func ignoresSigterm() async throws {
        let (path, directory) = try Self.script(
            """
            trap '' TERM
            sleep 60 &
            echo "child $!"
            echo ready
            wait
            """)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let lines = Lines()
        let task = Task {
            try await SubprocessScriptRunner().run(ScriptInvocation(path: path, arguments: []), grace: 1) {
                lines.add($0)
            }
        }
        #expect(await lines.wait(for: "ready"))
        let child = try #require(lines.text(.stdout).first.flatMap { Int32($0.dropFirst(6)) })
        let started = Date()
        task.cancel()
        let exit = try await task.value
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.9 && elapsed < 5)
        #expect(exit.signal == SIGKILL)
        #expect(exit.shellCode == 137)
        #expect(exit.cancelled)
        // The background child was in the script's process group: it got the SIGKILL too.
        var gone = false
        for _ in 0..<100 where !gone {
            gone = kill(child, 0) != 0
            if !gone { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(gone)
    }

    @Test("a missing or non-executable script is refused before anything runs")
    func missingScript() async throws {
        let (path, directory) = try Self.script("echo hi")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        chmod(path, 0o644)
        await #expect(throws: ScriptRunError.notExecutable(path)) {
            try await SubprocessScriptRunner().run(ScriptInvocation(path: path, arguments: []), grace: 1) { _ in }
        }
        await #expect(throws: ScriptRunError.notFound(directory + "/nope.sh")) {
            try await SubprocessScriptRunner().run(
                ScriptInvocation(path: directory + "/nope.sh", arguments: []), grace: 1
            ) { _ in }
        }
    }
}
