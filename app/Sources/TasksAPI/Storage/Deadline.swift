import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Runs `operation` and answers within `limit`: on time-out the caller gets ``StoreError/timedOut(_:)`` at once and
/// the operation is cancelled.
///
/// The caller does not wait for the operation to acknowledge the cancellation. PostgresNIO cancels a wait for a pool
/// connection, but not a query already sent: against a host that black-holes packets such a query would hold the
/// request until TCP gives up, and the deadline would mean nothing. The straggler ends on its own (the server-side
/// `statement_timeout`, a closed connection); the pool size bounds how many there can be.
///
/// The timer is a NIO scheduled task rather than a sleeping child task: it costs one timer-heap entry on an event
/// loop instead of a task group, a second child task and a Dispatch timer on every database call.
func withDeadline<Result: Sendable>(
    _ limit: Duration,
    _ operation: @escaping @Sendable () async throws -> Result
) async throws(StoreError) -> Result {
    let race = DeadlineRace<Result>()
    do {
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let work = Task {
                    do {
                        race.finish(.success(try await operation()))
                    } catch {
                        race.finish(.failure(error))
                    }
                }
                let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(in: TimeAmount(limit)) {
                    race.finish(.failure(StoreError.timedOut(limit)))
                }
                race.arm(continuation, work: work, timer: timer)
            }
        } onCancel: {
            race.finish(.failure(CancellationError()))
        }
    } catch {
        throw StoreError.classify(error)
    }
}

/// The first of three outcomes wins: the operation's result, the timer, or the caller's cancellation. The winner
/// resumes the caller once; the losers are cancelled.
private final class DeadlineRace<Value: Sendable>: Sendable {
    private typealias Armed = (CheckedContinuation<Value, any Error>, work: Task<Void, Never>, timer: Scheduled<Void>)

    private enum State: Sendable {
        /// Not armed yet; holds an outcome that arrived before ``arm(_:work:timer:)``.
        case starting(Result<Value, any Error>?)
        case armed(CheckedContinuation<Value, any Error>, work: Task<Void, Never>, timer: Scheduled<Void>)
        case finished
    }

    private let state = NIOLockedValueBox(State.starting(nil))

    func arm(_ continuation: CheckedContinuation<Value, any Error>, work: Task<Void, Never>, timer: Scheduled<Void>) {
        let early: Result<Value, any Error>? = state.withLockedValue { state in
            guard case .starting(let outcome) = state else { return nil }
            if let outcome {
                state = .finished
                return outcome
            }
            state = .armed(continuation, work: work, timer: timer)
            return nil
        }
        if let early {
            work.cancel()
            timer.cancel()
            continuation.resume(with: early)
        }
    }

    func finish(_ outcome: Result<Value, any Error>) {
        let winner = state.withLockedValue { state -> Armed? in
            switch state {
            case .starting(nil):
                state = .starting(outcome)
                return nil
            case .starting, .finished:
                return nil
            case .armed(let continuation, let work, let timer):
                state = .finished
                return (continuation, work: work, timer: timer)
            }
        }
        guard let (continuation, work, timer) = winner else { return }
        work.cancel()
        timer.cancel()
        continuation.resume(with: outcome)
    }
}
