/// Why a `q` query parameter was refused.
public enum TitleSearchError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidLength(Int)

    public var description: String {
        switch self {
        case .invalidLength(let count):
            return "q must be \(TitleSearch.lengthRange.lowerBound) to \(TitleSearch.lengthRange.upperBound) "
                + "characters, got \(count)"
        }
    }
}

/// The text a task list is filtered on (flag `task_search`): tasks whose title contains it, ignoring case.
public struct TitleSearch: Sendable, Equatable {
    public static let lengthRange = 1...100

    /// The text as the client sent it.
    public let text: String

    /// Validates the `q` query parameter.
    public init(parsing text: String) throws(TitleSearchError) {
        // Counted in Unicode scalars, as JSON Schema's maxLength counts (openapi.yaml).
        let count = text.unicodeScalars.count
        guard Self.lengthRange.contains(count) else { throw .invalidLength(count) }
        self.text = text
    }

    /// Whether `title` contains the text, ignoring case (the rule the database store applies with `lower()`).
    public func matches(_ title: String) -> Bool {
        title.lowercased().contains(text.lowercased())
    }
}
