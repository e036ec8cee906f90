import Foundation
import Hummingbird
import HummingbirdTesting
import NIOConcurrencyHelpers
import Testing

@testable import TasksAPI

@Suite("Fault injection")
struct FaultInjectionTests {
    /// Returns the given values in turn (then repeats), as the random source of the injector.
    private static func sequence(_ values: [Double]) -> @Sendable () -> Double {
        let index = NIOLockedValueBox(0)
        return {
            index.withLockedValue { position in
                defer { position += 1 }
                return values[position % values.count]
            }
        }
    }

    @Test func injectsOnApiRoutesOnlyAndWritesNothing() async throws {
        let store = InMemoryTaskStore()
        var app = TestApp(store: store)
        app.faults = FaultInjector(rate: 1)
        try await app.run { client in
            try await client.execute(
                uri: "/api/v1/tasks",
                method: .post,
                headers: jsonHeaders,
                body: .json(#"{"title":"never stored"}"#)
            ) { response in
                #expect(response.status == .internalServerError)
                #expect(response.errorCode == "fault_injected")
            }
            for path in ["/healthz", "/readyz", "/metrics", "/version"] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .ok, "\(path)") }
            }
        }
        #expect(await store.writes == 0)
    }

    @Test func failsExactlyTheDrawsBelowTheRate() async throws {
        var app = TestApp()
        app.faults = FaultInjector(
            rate: 0.3, random: Self.sequence([0.1, 0.5, 0.29, 0.3, 0.9, 0.0, 0.7, 0.31, 0.8, 0.95]))
        let statuses = try await app.run { client in
            var statuses: [Int] = []
            for _ in 0..<20 {
                statuses.append(try await client.execute(uri: "/api/v1/tasks", method: .get) { Int($0.status.code) })
            }
            return statuses
        }
        #expect(statuses.filter { $0 == 500 }.count == 6)
        #expect(Array(statuses.prefix(10)) == [500, 200, 500, 200, 200, 500, 200, 200, 200, 200])
    }

    @Test func rateZeroNeverFails() async throws {
        var app = TestApp()
        app.faults = FaultInjector(rate: 0, random: { 0 })
        try await app.run { client in
            for _ in 0..<10 {
                try await client.execute(uri: "/api/v1/tasks", method: .get) { #expect($0.status == .ok) }
            }
        }
    }

    @Test func defaultRandomSourceRespectsTheRateRoughly() {
        let injector = FaultInjector(rate: 0.2)
        let failures = (0..<10_000).filter { _ in injector.shouldFail(path: "/api/v1/tasks") }.count
        #expect((1_600...2_400).contains(failures), "\(failures) failures out of 10000 at rate 0.2")
    }
}
