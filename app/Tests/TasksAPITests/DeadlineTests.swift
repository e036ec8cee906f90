import NIOConcurrencyHelpers
import Testing

@testable import TasksAPI

@Suite("Deadline on database calls")
struct DeadlineTests {
    @Test func returnsTheResultOfAFastOperation() async throws {
        let value = try await withDeadline(.seconds(5)) { 42 }
        #expect(value == 42)
    }

    @Test func passesTheOperationsErrorThrough() async {
        do {
            _ = try await withDeadline(.seconds(5)) { () async throws -> Int in throw StoreError.failed("boom") }
            Issue.record("no error")
        } catch {
            #expect(error == .failed("boom"))
        }
    }

    @Test func answersAtTheDeadlineEvenWhenTheOperationIgnoresCancellation() async {
        let started = ContinuousClock.now
        do {
            _ = try await withDeadline(.milliseconds(200)) { () async -> Int in
                await Unresponsive.wait(seconds: 10)
                return 1
            }
            Issue.record("the operation cannot have finished")
        } catch {
            #expect(error == .timedOut(.milliseconds(200)))
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    @Test func cancelsTheOperationAtTheDeadline() async throws {
        let cancelled = NIOLockedValueBox(false)
        await #expect(throws: StoreError.timedOut(.milliseconds(100))) {
            try await withDeadline(.milliseconds(100)) {
                do {
                    try await Task.sleep(for: .seconds(10))
                } catch {
                    cancelled.withLockedValue { $0 = true }
                    throw error
                }
            }
        }
        let deadline = ContinuousClock.now + .seconds(3)
        while !cancelled.withLockedValue({ $0 }) && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(cancelled.withLockedValue { $0 })
    }

    @Test func callerCancellationEndsTheWaitAtOnce() async {
        let started = ContinuousClock.now
        let call = Task {
            try await withDeadline(.seconds(30)) { () async -> Int in
                await Unresponsive.wait(seconds: 10)
                return 1
            }
        }
        try? await Task.sleep(for: .milliseconds(50))
        call.cancel()
        switch await call.result {
        case .success: Issue.record("the call cannot have finished")
        case .failure(let error): #expect(error as? StoreError == .unavailable("the request was cancelled"))
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }
}
