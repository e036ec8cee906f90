/// Every problem found in the environment, reported at once so an operator fixes them in one pass.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// One line per problem, each naming the variable and what is expected.
    public let problems: [String]

    public init(problems: [String]) {
        self.problems = problems
    }

    public var description: String {
        "invalid configuration (\(problems.count) problem\(problems.count == 1 ? "" : "s")):\n"
            + problems.map { "  - \($0)" }.joined(separator: "\n")
    }
}
